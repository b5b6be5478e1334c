-- one row per (accuser, accused) pair in a sentence
with allegations as (
    select * from read_parquet('{{ out_dir }}/allegations/*.parquet')
),

documents as (
    select doc_id, published_date, outlet from read_parquet('{{ out_dir }}/documents/*.parquet')
),

final as (
    select
        allegations.allegation_id,
        allegations.doc_id,
        allegations.sentence_idx,
        allegations.char_start,
        allegations.char_end,
        allegations.evidence_text,
        allegations.accuser_id,
        allegations.accuser_name,
        allegations.accused_id,
        allegations.accused_name,
        allegations.allegation_type,
        allegations.cue,
        allegations.is_hedged,
        documents.published_date,
        documents.outlet
    from allegations
    left join documents using (doc_id)
)

select * from final
