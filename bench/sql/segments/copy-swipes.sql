-- bench:segments: the body of export-rfm-swipes.sql into the baseline's table.
COPY bench_swipes (card_number, occurred_at, kind, signed_total) FROM STDIN
