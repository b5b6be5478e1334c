-- one row per source file, deduplicated by content
with source as (
    select * from read_parquet('{{ out_dir }}/documents/*.parquet')
),

final as (
    select
        doc_id,
        source_path,
        title,
        outlet,
        authors,
        url,
        published_date,
        published_date_source,
        published_date_text,
        doc_type,
        language,
        n_words,
        n_chars,
        content_sha256,
        encoding,
        is_day_first,
        text,
        ingested_at
    from source
)

select * from final
