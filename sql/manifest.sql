-- one row per source processed: what a re-run compares against
with source as (
    select * from read_parquet('{{ out_dir }}/manifest/*.parquet')
),

final as (
    select source_path, doc_id, content_sha256, size_bytes, modified_ns, extractor_version, text_version, reference_version, status
    from source
)

select * from final
