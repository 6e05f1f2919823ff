-- Takes card-map.sql's COPY output (Postgres) as the body, as it comes.
INSERT INTO campaign_card_map (snapshot_id, card_number, member_id) FORMAT TabSeparated
