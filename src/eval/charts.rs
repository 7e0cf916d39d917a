//! The evaluation's charts as SVG: a confusion matrix and a reliability diagram.

use std::path::Path;

use plotters::prelude::*;

use super::metrics::{Metrics, RELIABILITY_BINS};
use crate::error::{Error, Result};
use crate::label::Label;

fn chart_error(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(format!("cannot draw the chart: {error}")),
    }
}

/// Draws `metrics.confusion` as a 4 x 4 grid (rows: gold labels, columns: predicted), each cell
/// shaded by its share of the row and marked with its count.
///
/// # Errors
///
/// [`Error::Io`] if the file cannot be written.
pub fn confusion_matrix_svg(metrics: &Metrics, title: &str, path: &Path) -> Result<()> {
    const CELL: i32 = 110;
    const LEFT: i32 = 170;
    const TOP: i32 = 90;
    let root = SVGBackend::new(
        path,
        (
            LEFT as u32 + 4 * CELL as u32 + 30,
            TOP as u32 + 4 * CELL as u32 + 40,
        ),
    )
    .into_drawing_area();
    let draw = || -> std::result::Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let font = |size: u32| ("sans-serif", size).into_font();
        root.draw(&Text::new(title.to_owned(), (20, 20), font(20)))?;
        root.draw(&Text::new("predicted →".to_owned(), (LEFT, 45), font(14)))?;
        root.draw(&Text::new("gold ↓".to_owned(), (20, TOP - 20), font(14)))?;
        for label in Label::ALL {
            let k = label.index() as i32;
            root.draw(&Text::new(
                label.as_str().to_owned(),
                (LEFT + k * CELL + 6, TOP - 22),
                font(13),
            ))?;
            root.draw(&Text::new(
                label.as_str().to_owned(),
                (20, TOP + k * CELL + CELL / 2 - 6),
                font(13),
            ))?;
        }
        for (g, row) in metrics.confusion.iter().enumerate() {
            let total = row.iter().sum::<usize>().max(1) as f64;
            for (p, &count) in row.iter().enumerate() {
                let share = count as f64 / total;
                let shade = (255.0 - 200.0 * share) as u8;
                let (x, y) = (LEFT + p as i32 * CELL, TOP + g as i32 * CELL);
                root.draw(&Rectangle::new(
                    [(x, y), (x + CELL - 2, y + CELL - 2)],
                    RGBColor(shade, shade, 255).filled(),
                ))?;
                let colour = if share > 0.5 { WHITE } else { BLACK };
                root.draw(&Text::new(
                    format!("{count}"),
                    (x + CELL / 2 - 12, y + CELL / 2 - 10),
                    font(20).color(&colour),
                ))?;
            }
        }
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| chart_error(path, e))
}

/// Draws the reliability diagram: per confidence bin, the accuracy against the mean confidence,
/// before (grey) and after (blue) calibration, with the diagonal of perfect calibration.
///
/// # Errors
///
/// [`Error::Io`] if the file cannot be written.
pub fn reliability_svg(before: &Metrics, after: &Metrics, title: &str, path: &Path) -> Result<()> {
    let root = SVGBackend::new(path, (620, 560)).into_drawing_area();
    let draw = || -> std::result::Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(0.0f64..1.0f64, 0.0f64..1.0f64)?;
        chart
            .configure_mesh()
            .x_desc("confidence of the predicted label")
            .y_desc("accuracy")
            .x_labels(RELIABILITY_BINS + 1)
            .y_labels(RELIABILITY_BINS + 1)
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            BLACK.stroke_width(1),
        )))?;
        for (metrics, colour, name) in [
            (before, RGBColor(150, 150, 150), "uncalibrated"),
            (after, BLUE, "calibrated"),
        ] {
            let points: Vec<(f64, f64)> = metrics
                .reliability
                .iter()
                .filter(|(count, _, _)| *count > 0)
                .map(|&(_, confidence, accuracy)| (confidence, accuracy))
                .collect();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points.clone(),
                    colour.stroke_width(2),
                )))?
                .label(format!("{name} (ECE {:.3})", metrics.ece))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
            chart.draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 4, colour.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| chart_error(path, e))
}
