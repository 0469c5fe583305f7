//! Placeholders of multi-row statements, as each backend writes them.

use super::Backend;

/// How a backend writes the n-th (from 1) parameter of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholders {
    /// PostgreSQL: `$1, $2, …`.
    Numbered,
    /// SQLite: `?` in order. Numbered ones cost it a scan of every name per bound value,
    /// quadratic in a statement of hundreds of them.
    Anonymous,
}

impl Placeholders {
    pub(crate) fn of(backend: &Backend) -> Self {
        match backend {
            Backend::Sqlite(_) => Placeholders::Anonymous,
            Backend::Postgres(_) => Placeholders::Numbered,
        }
    }

    /// The `n`-th parameter (from 1).
    pub(crate) fn one(self, n: usize) -> String {
        match self {
            Placeholders::Numbered => format!("${n}"),
            Placeholders::Anonymous => "?".to_owned(),
        }
    }

    /// `(…), (…)`: `rows` tuples of `per_row` parameters, the first numbered `first`. Anonymous
    /// ones are bound in the order they are written, so the tuples must be bound in this order.
    pub(crate) fn rows(self, rows: usize, per_row: usize, first: usize) -> String {
        let tuples: Vec<String> = (0..rows)
            .map(|row| {
                let params: Vec<String> = (0..per_row).map(|p| self.one(first + row * per_row + p)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        tuples.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::Placeholders;

    #[test]
    fn rows_are_numbered_on_from_the_first() {
        assert_eq!(Placeholders::Numbered.rows(2, 3, 4), "($4, $5, $6), ($7, $8, $9)");
        assert_eq!(Placeholders::Anonymous.rows(2, 2, 4), "(?, ?), (?, ?)");
        assert_eq!(Placeholders::Numbered.one(1), "$1");
    }
}
