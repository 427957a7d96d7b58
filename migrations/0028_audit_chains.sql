-- Issue 22: the audit trail (71E) is sixteen hash chains instead of one. With one chain, every audited write locked
-- the single head row from its insert until its commit (the WAL flush included), so audited transactions — every
-- login among them — ran one at a time across the whole académie, and no two could share a WAL flush. Now a
-- transaction appends to the chain of its connection (1 + backend pid mod 16): appenders on different connections
-- seldom wait for each other, and a transaction only ever locks one head, so two transactions never wait for each
-- other's heads. Within a chain, sequence order is still chain order (the number is drawn under the head's lock);
-- numbers are unique across chains but no longer gapless, and `preau audit verify` follows each chain by its links
-- (a removed line breaks the link after it, a removed last line no longer matches its chain's head). Lines written
-- before this migration form chain 1 unchanged.
ALTER TABLE audit_chain_head DROP CONSTRAINT audit_chain_head_id_check;
--> statement-breakpoint
ALTER TABLE audit_chain_head ADD CONSTRAINT audit_chain_head_id_check CHECK (id BETWEEN 1 AND 16);
--> statement-breakpoint
INSERT INTO audit_chain_head (id, seq, hash) SELECT g, 0, repeat('0', 64) FROM generate_series(2, 16) AS g;
--> statement-breakpoint
ALTER TABLE audit_log ADD COLUMN chain smallint DEFAULT 1 NOT NULL;
--> statement-breakpoint
CREATE INDEX audit_log_chain_seq ON audit_log USING btree (chain, seq);
--> statement-breakpoint
CREATE SEQUENCE audit_log_seq AS bigint;
--> statement-breakpoint
SELECT setval('audit_log_seq', greatest((SELECT max(seq) FROM audit_log), 1), (SELECT count(*) > 0 FROM audit_log));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION preau_audit_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  head audit_chain_head%ROWTYPE;
BEGIN
  NEW.chain := 1 + pg_backend_pid() % 16;
  -- The row lock on the chain's head serialises that chain's appenders, so its sequence order is its chain order.
  SELECT * INTO head FROM audit_chain_head WHERE id = NEW.chain FOR UPDATE;
  NEW.seq := nextval('audit_log_seq');
  NEW.prev_hash := head.hash;
  NEW.hash := encode(sha256(convert_to(head.hash || chr(31) || preau_audit_canonical(
    NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.target, NEW.uai, NEW.ip, NEW.details), 'UTF8')), 'hex');
  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id = NEW.chain;
  RETURN NEW;
END $$;
