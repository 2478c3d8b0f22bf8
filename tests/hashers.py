from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still Argon2 (the stored hashes say "argon2$"), with the smallest cost:
    the suite creates thousands of accounts and the real cost is what makes
    Argon2 slow by design."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
