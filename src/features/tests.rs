use super::*;

#[test]
fn sentence_ranges_cut_at_terminal_punctuation_and_line_breaks() {
    let text = "First one. Second one!\nThird, no end";
    let pieces: Vec<&str> = sentence_ranges(text)
        .iter()
        .map(|&(a, b)| &text[a..b])
        .collect();
    assert_eq!(pieces, ["First one.", "Second one!", "Third, no end"]);
    assert_eq!(sentence_ranges("3.5 metres away.").len(), 1);
}

#[test]
fn sentence_ranges_bound_long_runs_on_char_boundaries() {
    let text = "ä ".repeat(5_000);
    let ranges = sentence_ranges(&text);
    assert!(ranges.len() > 1);
    for (a, b) in ranges {
        assert!(
            b - a <= MAX_SENTENCE_BYTES && text.is_char_boundary(a) && text.is_char_boundary(b)
        );
    }
}

#[test]
fn chunks_cover_the_text_on_char_boundaries() {
    let text = format!("{}{}", "abc ".repeat(40_000), "é".repeat(70_000));
    let mut covered = 0;
    for (offset, piece) in chunks(&text) {
        assert_eq!(offset, covered);
        assert!(piece.len() <= CHUNK_BYTES);
        covered += piece.len();
    }
    assert_eq!(covered, text.len());
}

#[test]
fn merged_counts_equal_counting_at_once() {
    let mut total = Vec::new();
    merge_counts(&mut total, &mut [5, 1, 5, 9]);
    merge_counts(&mut total, &mut [9, 2, 5]);
    assert_eq!(total, vec![(1, 1), (2, 1), (5, 3), (9, 2)]);
}
