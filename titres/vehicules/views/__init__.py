"""Views of the vehicle space, one module per screen family: `espace`
(Mon Espace Véhicule, tracking), `cession` (the seller), `changement` (the
buyer's payment, finalisation and documents)."""
