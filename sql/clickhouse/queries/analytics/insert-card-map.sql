-- Takes Postgres's COPY output (run_id, card_number, member_id as TabSeparated) as the body.
INSERT INTO card_members (run_id, card_number, member_id) FORMAT TabSeparated
