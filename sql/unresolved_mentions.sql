-- names the registry lacks, most frequent first: one row per (surface form, guessed type);
-- the worklist for extending data/reference/entities.yaml and places.yaml
with unresolved as (
    select doc_id, char_start, surface_text, entity_type
    from mentions
    where entity_id is null and match_method = 'unresolved'
),

counted as (
    select
        surface_text,
        entity_type,
        count(*) as n_mentions,
        count(distinct doc_id) as n_documents,
        min(doc_id) as example_doc_id
    from unresolved
    group by surface_text, entity_type
),

final as (
    select surface_text, entity_type, n_mentions, n_documents, example_doc_id
    from counted
    order by n_mentions desc, n_documents desc, surface_text, entity_type
)

select * from final
