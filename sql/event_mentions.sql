-- one row per sentence that supports an event
with source as (
    select * from read_parquet('{{ out_dir }}/event_mentions/*.parquet')
),

final as (
    select event_id, doc_id, sentence_idx, char_start, char_end, evidence_text
    from source
)

select * from final
