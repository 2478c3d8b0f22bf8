from django.urls import path

from .views import cession, changement, espace, operation, pro, pro_batch, pro_list, situation

app_name = "vehicules"
urlpatterns = [
    path("", espace.espace, name="espace"),
    path("nouvelle-demande/", espace.nouvelle_demande, name="nouvelle_demande"),
    path("mes-demarches/", espace.demarches_en_cours, name="demarches"),
    path("mes-demarches/<str:number>/action/", espace.action, name="demarche_action"),
    path("professionnel/", pro.espace, name="pro_espace"),
    path("professionnel/nouvelle-demande/", pro.nouvelle_demande, name="pro_nouvelle_demande"),
    path("professionnel/demarches/", pro_list.demarches, name="pro_demarches"),
    path("professionnel/lots/", pro_batch.lots, name="pro_lots"),
    path("professionnel/lots/modele.csv", pro_batch.modele, name="pro_lot_modele"),
    path("professionnel/lots/<uuid:pk>/", pro_batch.lot, name="pro_lot"),
    path("professionnel/lots/<uuid:pk>/etat/", pro_batch.lot_etat, name="pro_lot_etat"),
    path(
        "professionnel/lots/<uuid:pk>/compte-rendu.csv",
        pro_batch.lot_compte_rendu,
        name="pro_lot_compte_rendu",
    ),
    path("professionnel/lots/<uuid:pk>/codes.csv", pro_batch.lot_codes, name="pro_lot_codes"),
    path("professionnel/demarches/export.csv", pro_list.export_csv, name="pro_export_csv"),
    path(
        "professionnel/telechargements/",
        pro_list.telechargement_demander,
        name="pro_telechargement_demander",
    ),
    path(
        "professionnel/telechargements/<uuid:pk>/",
        pro_list.telechargement,
        name="pro_telechargement",
    ),
    path(
        "professionnel/telechargements/<uuid:pk>/etat/",
        pro_list.telechargement_etat,
        name="pro_telechargement_etat",
    ),
    path(
        "professionnel/telechargements/<uuid:pk>/archive.zip",
        pro_list.telechargement_archive,
        name="pro_telechargement_archive",
    ),
    path("situation/", situation.demander, name="situation"),
    path("situation/<str:token>/certificat.pdf", situation.certificat, name="situation_pdf"),
    path("cession/", cession.declarer, name="cession_declarer"),
    path("cession/<uuid:pk>/", cession.resultat, name="cession_resultat"),
    path("cession/<uuid:pk>/certificat.pdf", cession.certificat, name="cession_certificat"),
    path("cession/<uuid:pk>/annuler/", cession.annuler, name="cession_annuler"),
    path("demarche/<str:number>/payer/", changement.payer, name="payer"),
    path("demarche/<str:number>/paiement/", changement.paiement_retour, name="paiement_retour"),
    path(
        "demarche/<str:number>/paiement/enregistrer/",
        changement.enregistrer_paiement,
        name="enregistrer_paiement",
    ),
    path("demarche/<str:number>/paiement/recu.pdf", changement.recu, name="recu"),
    path("demarche/<str:number>/finalisation/", changement.finalisation, name="finalisation"),
    path("demarche/<str:number>/cpi.pdf", changement.cpi, name="cpi"),
    path("demarche/<str:number>/accuse.pdf", changement.accuse, name="accuse"),
    path(
        "operation/<str:number>/finalisation/",
        operation.finalisation,
        name="operation_finalisation",
    ),
    path("operation/<str:number>/cpi.pdf", operation.cpi, name="operation_cpi"),
    path("operation/<str:number>/accuse.pdf", operation.accuse, name="operation_accuse"),
]
