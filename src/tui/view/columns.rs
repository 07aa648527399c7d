//! Which table columns fit: the most important first, the rest dropped when the terminal is
//! narrow (as bottom's data tables do), so 80 columns stay readable and 120 show more.

/// One column's claim on the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Cells it needs (for a flexible column: at least this many).
    pub width: u16,
    /// Lower is more important; ties keep table order.
    pub rank: u8,
}

/// For each column, whether it is shown within `available` cells with `spacing` between columns.
pub fn fit(available: u16, spacing: u16, columns: &[Column]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| columns[i].rank);
    let mut shown = vec![false; columns.len()];
    let mut used: u32 = 0;
    for i in order {
        let gap = if used == 0 { 0 } else { u32::from(spacing) };
        let need = used + gap + u32::from(columns[i].width);
        if need <= u32::from(available) {
            shown[i] = true;
            used = need;
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_least_important_first() {
        let cols = [
            Column { width: 10, rank: 0 },
            Column { width: 10, rank: 2 },
            Column { width: 10, rank: 1 },
        ];
        assert_eq!(fit(32, 1, &cols), vec![true, true, true]);
        assert_eq!(fit(25, 1, &cols), vec![true, false, true]);
        assert_eq!(fit(5, 1, &cols), vec![false, false, false]);
    }
}
