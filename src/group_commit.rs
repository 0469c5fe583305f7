//! Group commit: what concurrent tasks hand in is written together, by one task, in one
//! transaction per round, so that each pays for one commit's wait rather than the store paying
//! for one commit per task. The audit log's entries and the outbox's settlements go this way.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

/// Hand-ins waiting for the writer at most; a task beyond waits its turn.
const QUEUE: usize = 1_024;

struct HandIn<T, R> {
    items: Vec<T>,
    done: oneshot::Sender<Vec<R>>,
}

/// The handle the tasks share; clones share one writer.
pub struct GroupCommit<T, R> {
    queue: mpsc::Sender<HandIn<T, R>>,
}

impl<T, R> Clone for GroupCommit<T, R> {
    fn clone(&self) -> Self {
        Self { queue: self.queue.clone() }
    }
}

impl<T: Send + 'static, R: Send + 'static> GroupCommit<T, R> {
    /// Starts the writer: `write` takes everything waiting (up to about `max_items`, never
    /// splitting a hand-in) and gives one answer per item, in order.
    pub fn start<F, Fut>(max_items: usize, mut write: F) -> Self
    where
        F: FnMut(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<R>> + Send,
    {
        let (queue, mut hand_ins) = mpsc::channel::<HandIn<T, R>>(QUEUE);
        tokio::spawn(async move {
            while let Some(first) = hand_ins.recv().await {
                let mut taken = vec![first];
                let mut count = taken[0].items.len();
                while count < max_items {
                    match hand_ins.try_recv() {
                        Ok(next) => {
                            count += next.items.len();
                            taken.push(next);
                        }
                        Err(_) => break,
                    }
                }
                let sizes: Vec<usize> = taken.iter().map(|h| h.items.len()).collect();
                let items: Vec<T> = taken.iter_mut().flat_map(|h| std::mem::take(&mut h.items)).collect();
                let mut answers = write(items).await.into_iter();
                for (hand_in, size) in taken.into_iter().zip(sizes) {
                    let _ = hand_in.done.send(answers.by_ref().take(size).collect());
                }
            }
        });
        Self { queue }
    }

    /// Hands `items` in and waits for their answers, in order; `None` when the writer is gone
    /// (the runtime is shutting down).
    pub async fn submit(&self, items: Vec<T>) -> Option<Vec<R>> {
        let (done, answered) = oneshot::channel();
        self.queue.send(HandIn { items, done }).await.ok()?;
        answered.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn concurrent_hand_ins_share_rounds_and_each_gets_its_own_answers() {
        let rounds = Arc::new(AtomicUsize::new(0));
        let counted = rounds.clone();
        let doubler = GroupCommit::start(1_000, move |items: Vec<u32>| {
            counted.fetch_add(1, Ordering::Relaxed);
            async move {
                tokio::task::yield_now().await;
                items.into_iter().map(|i| i * 2).collect::<Vec<_>>()
            }
        });
        let tasks: Vec<_> = (0..50u32)
            .map(|n| {
                let doubler = doubler.clone();
                tokio::spawn(async move { (n, doubler.submit(vec![n, n + 100]).await) })
            })
            .collect();
        for task in tasks {
            let (n, answers) = task.await.unwrap();
            assert_eq!(answers, Some(vec![n * 2, (n + 100) * 2]));
        }
        let rounds = rounds.load(Ordering::Relaxed);
        assert!((1..=50).contains(&rounds), "{rounds} rounds");
    }

    #[tokio::test]
    async fn a_writer_that_answers_short_leaves_the_last_hand_ins_short_not_shifted() {
        let short =
            GroupCommit::start(10, |items: Vec<u32>| async move { items.into_iter().take(1).collect::<Vec<_>>() });
        assert_eq!(short.submit(vec![7, 8]).await, Some(vec![7]));
    }
}
