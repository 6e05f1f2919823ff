-- The next chunk of treated members to issue coupons to, in member id order after the last one
-- issued (services/campaigns/issue-coupons.ts). The embedded engine hands back a whole result at
-- once, so issuing reads keyset chunks rather than one stream.
-- {campaign_id:UInt64}, {after:String} ('' from the start), {chunk:UInt32}.
SELECT member_id, category
FROM campaign_assignments FINAL
WHERE campaign_id = {campaign_id:UInt64} AND grp = 'treated' AND member_id > {after:String}
ORDER BY member_id
LIMIT {chunk:UInt32}
