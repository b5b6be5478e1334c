-- one row per event reported in a document, with the document's date and outlet
with events as (
    select * from read_parquet('{{ out_dir }}/events/*.parquet')
),

documents as (
    select doc_id, published_date, outlet from read_parquet('{{ out_dir }}/documents/*.parquet')
),

final as (
    select
        events.event_id,
        events.doc_id,
        events.sentence_idx,
        events.char_start,
        events.char_end,
        events.evidence_text,
        events.event_type,
        events.trigger_text,
        events.is_suicide,
        events.event_date_start,
        events.event_date_end,
        events.date_precision,
        events.date_text,
        events.date_anchor,
        events.location_text,
        events.location_name,
        events.location_entity_id,
        events.admin1,
        events.country_iso2,
        events.latitude,
        events.longitude,
        events.perpetrator_ids,
        events.perpetrator_names,
        events.target_text,
        events.killed_low,
        events.killed_high,
        events.wounded_low,
        events.wounded_high,
        events.is_unclaimed,
        events.event_cluster_id,
        documents.published_date,
        documents.outlet
    from events
    left join documents using (doc_id)
)

select * from final
