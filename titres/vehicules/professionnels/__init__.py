"""The automotive professionals' space (habilitated SIV accounts): files
filed for clients under mandate, their list, exports and batches."""
