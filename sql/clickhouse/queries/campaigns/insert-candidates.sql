-- Takes candidates.sql's COPY output (Postgres) as the body, as it comes: Node parses no rows.
INSERT INTO campaign_candidates (snapshot_id, member_id, tier, consented, recent_offers) FORMAT TabSeparated
