"""Identity: accounts, sign-in (local argon2id and LDAP), roles by unit, secrets, and the audit trail."""
