-- bench:campaigns baseline: a fresh table shaped as coupons (columns, defaults, checks, the
-- primary key, the unique (campaign, member) and the member index, and both foreign keys), so
-- the COPY into it does all the work the launch's COPY does but nothing else.
CREATE TABLE bench_coupons (LIKE coupons INCLUDING ALL);
ALTER TABLE bench_coupons ADD FOREIGN KEY (campaign_id) REFERENCES campaigns (id);
ALTER TABLE bench_coupons ADD FOREIGN KEY (member_id) REFERENCES members (id);
