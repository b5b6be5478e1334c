-- one row per claim of responsibility, announcement, statement or denial
with claims as (
    select * from read_parquet('{{ out_dir }}/claims/*.parquet')
),

documents as (
    select doc_id, published_date, outlet from read_parquet('{{ out_dir }}/documents/*.parquet')
),

final as (
    select
        claims.claim_id,
        claims.doc_id,
        claims.sentence_idx,
        claims.char_start,
        claims.char_end,
        claims.evidence_text,
        claims.claim_type,
        claims.claimant_id,
        claims.claimant_name,
        claims.claimant_movement_id,
        claims.channel_id,
        claims.channel_name,
        claims.claim_text,
        claims.cue,
        claims.event_id,
        claims.competing,
        claims.is_hedged,
        documents.published_date,
        documents.outlet
    from claims
    left join documents using (doc_id)
)

select * from final
