-- Stored SNMP credentials: which associated data (AAD) their AES-GCM ciphertexts are bound to.
--   1: the row id and the column name only (rows written before this migration): the user name
--      and the protocols could be changed in the table without detection.
--   2: every column that gives the secret its meaning: the row id, the column, name, version,
--      v3 user, auth and privacy protocols, context, and which secrets the row holds (its level).
-- Existing rows, and rows an older ward writes, are format 1 (the default). SQL cannot hold the
-- key, so ward re-encrypts format-1 rows in format 2 the first time it opens the store with the
-- key (the runner at start, 'ward credentials'); see docs/storage.md.
ALTER TABLE snmp_credentials
    ADD COLUMN aad_format smallint NOT NULL DEFAULT 1 CHECK (aad_format IN (1, 2));
