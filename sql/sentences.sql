-- one row per sentence; documents.text[char_start + 1 : char_end] is the sentence
with source as (
    select * from read_parquet('{{ out_dir }}/sentences/*.parquet')
),

final as (
    select doc_id, sentence_idx, char_start, char_end, text
    from source
)

select * from final
