-- Issued events of one campaign, as the launch checks them after the copy. {campaign_id:UInt64}.
SELECT count() AS events
FROM coupon_events FINAL
WHERE campaign_id = {campaign_id:UInt64} AND event = 'issued'
