-- How many rows of these cards each table still holds (erasure checks it is none).
-- Parameters: cards Array(String).
SELECT (SELECT count() FROM swipes WHERE card_number IN {cards:Array(String)}) AS swipes,
       (SELECT count() FROM swipe_lines WHERE card_number IN {cards:Array(String)}) AS lines
