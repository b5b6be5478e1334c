-- one row per date expression, with the anchor a relative one was resolved against
with source as (
    select * from read_parquet('{{ out_dir }}/date_mentions/*.parquet')
),

final as (
    select
        doc_id,
        sentence_idx,
        char_start,
        char_end,
        date_text,
        date_start,
        date_end,
        date_precision,
        date_anchor,
        date_kind
    from source
)

select * from final
