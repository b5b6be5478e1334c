-- one row per entity mention; entity_id is null when the name is not in the registry
with source as (
    select * from read_parquet('{{ out_dir }}/mentions/*.parquet')
),

final as (
    select doc_id, sentence_idx, char_start, char_end, surface_text, entity_id, entity_type, match_method
    from source
)

select * from final
