"""Every write to the vehicle registry (one module per concern):
`registry` (vehicles, holders, situations, change of holder) and
`cession` (the seller's declaration and its code)."""
