//! Group commit on SQLite: concurrent units of work share one transaction and one flush.
//!
//! With `synchronous=FULL` every commit waits for the disk, so a writer that commits each
//! submission on its own is held to the disk's flush rate, whatever the work costs. Here
//! one task takes turns at the write connection: it takes every unit waiting (up to
//! [`MAX_BATCH`]), runs each inside a savepoint of its own, commits once, and only then
//! answers each unit. An answer therefore still means "on disk": no unit hears that it
//! succeeded before the commit holding it has returned. A unit that fails is rolled back
//! to its savepoint and answered with its own error, and the others are kept. When the
//! transaction itself fails (the commit, or a savepoint SQLite had already undone), every
//! unit of the batch hears so, and none of it was kept.
//!
//! Batches form by themselves: while one commit waits for the disk, new units queue, and
//! the next batch takes them all; a lone unit is committed at once, with no added wait.
//! PostgreSQL needs none of this (its connections commit side by side, and its WAL writer
//! already flushes concurrent commits together), so there a unit is a transaction of its
//! own ([`super::Store::write_unit`]).

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use tokio::sync::{mpsc, oneshot};

use super::db::{StoreError, StoreResult, Tx, sql};

/// The most units one commit carries: bounds how long other writers wait for the lock.
const MAX_BATCH: usize = 64;

/// A unit of writes, run inside a transaction it does not commit.
pub(crate) type Work<T, E> = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, E>> + Send>;

/// What a unit came to inside the batch: whether its writes stay, and how to answer its
/// caller once the batch's commit has succeeded or failed.
struct Ran {
    keep: bool,
    answer: Box<dyn FnOnce(Result<(), String>) + Send>,
}

/// A queued unit, its result type hidden in its answer.
type Unit = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Ran> + Send>;

/// The queue to the task that commits batches on SQLite's write connection.
#[derive(Clone)]
pub(crate) struct GroupCommit {
    units: mpsc::UnboundedSender<Unit>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

impl GroupCommit {
    /// Starts the committing task on a thread of its own, kept on one core, and opens there
    /// the pool of SQLite's single write connection, returned for the writes made outside
    /// batches. The task ends when the last handle is dropped.
    ///
    /// Why a thread on one core: each statement of a batch is a round trip to the
    /// connection's own thread, which sqlx starts from the thread that connects and which
    /// inherits its core. On the machines this runs on a wake-up across cores cost about
    /// 80 µs and one on the same core about 5, and a batch is a chain of them; on the
    /// shared runtime each also waited its turn behind the requests being served.
    pub(crate) async fn start(
        pool: SqlitePoolOptions,
        connect: SqliteConnectOptions,
    ) -> StoreResult<(Self, SqlitePool)> {
        let (units, queue) = mpsc::unbounded_channel();
        let (opened, ready) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Config(format!("cannot start the database writer: {e}")))?;
        std::thread::Builder::new()
            .name("sqlite-writer".to_owned())
            .spawn(move || {
                stay_on_one_core();
                runtime.block_on(async move {
                    match pool.connect_with(connect).await {
                        Ok(pool) => {
                            let _gone = opened.send(Ok(pool.clone()));
                            commit_batches(pool, queue).await;
                        }
                        Err(e) => {
                            let _gone = opened.send(Err(e));
                        }
                    }
                });
            })
            .map_err(|e| StoreError::Config(format!("cannot start the database writer: {e}")))?;
        let pool = ready
            .await
            .map_err(|_| StoreError::Config("the database writer stopped while starting".to_owned()))??;
        Ok((Self { units }, pool))
    }

    /// Runs `work` in the next batch; its result comes back once the batch is committed
    /// (an error of its own comes back whatever became of the others).
    pub(crate) async fn run<T, E>(&self, work: Work<T, E>) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (sender, receiver) = oneshot::channel::<Result<T, E>>();
        let unit: Unit = Box::new(move |tx| run_and_answer(work, tx, sender).boxed());
        if self.units.send(unit).is_err() {
            return Err(StoreError::Commit("the database writer has stopped".to_owned()).into());
        }
        receiver
            .await
            .unwrap_or_else(|_| Err(StoreError::Commit("the batch holding this write was abandoned".to_owned()).into()))
    }
}

/// Keeps the current thread, and threads it starts, on the last core this process may use.
fn stay_on_one_core() {
    let core = core_affinity::get_core_ids().and_then(|cores| cores.last().copied());
    if !core.is_some_and(core_affinity::set_for_current) {
        tracing::debug!("the database writer runs on any core");
    }
}

async fn run_and_answer<T, E>(work: Work<T, E>, tx: &mut Tx, sender: oneshot::Sender<Result<T, E>>) -> Ran
where
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let result = work(tx).await;
    Ran {
        keep: result.is_ok(),
        answer: Box::new(move |committed| {
            let answer = match (result, committed) {
                (Ok(_), Err(failure)) => Err(StoreError::Commit(failure).into()),
                (result, _) => result,
            };
            // The caller may have gone (its client hung up); the write stands regardless.
            let _gone = sender.send(answer);
        }),
    }
}

async fn commit_batches(pool: SqlitePool, mut queue: mpsc::UnboundedReceiver<Unit>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        commit_batch(&pool, batch.drain(..)).await;
    }
}

/// Runs the units in one transaction, each in its savepoint, commits, then answers them.
/// Units never run (the transaction failed first) are dropped, which answers them too.
async fn commit_batch(pool: &SqlitePool, units: std::vec::Drain<'_, Unit>) {
    let mut tx = match pool.begin_with("BEGIN IMMEDIATE").await {
        Ok(tx) => Tx::Sqlite(tx),
        Err(e) => {
            tracing::error!(error = %e, "cannot begin a write batch");
            return;
        }
    };
    let count = units.len();
    let mut answers = Vec::with_capacity(count);
    let mut run = tx.execute(sql("SAVEPOINT unit")).await.map(|_| ());
    for (n, unit) in units.enumerate() {
        let Ok(()) = run else { break };
        run = in_savepoint(&mut tx, unit, n + 1 == count)
            .await
            .map(|answer| answers.push(answer));
    }
    let committing = std::time::Instant::now();
    let committed = match run {
        Ok(()) => tx.commit().await.map_err(|e| e.to_string()),
        // SQLite may have rolled the whole transaction back (a full disk, an I/O error):
        // nothing of the batch is kept, and every unit run so far is told.
        Err(e) => Err(e.to_string()),
    };
    match &committed {
        Ok(()) => tracing::trace!(
            units = answers.len(),
            commit_us = u64::try_from(committing.elapsed().as_micros()).unwrap_or(u64::MAX),
            "committed a write batch"
        ),
        Err(e) => tracing::error!(error = %e, units = answers.len(), "a write batch did not commit"),
    }
    for answer in answers {
        answer(committed.clone());
    }
}

/// Runs one unit inside the open savepoint `unit`, keeping its writes only when it
/// succeeded, and opens the next unit's savepoint in the same round trip to SQLite's
/// thread (unless it is the `last`: the commit releases it). A unit that panics is rolled
/// back, and its caller hears that it was not committed.
async fn in_savepoint(
    tx: &mut Tx,
    unit: Unit,
    last: bool,
) -> Result<Box<dyn FnOnce(Result<(), String>) + Send>, StoreError> {
    let ran = AssertUnwindSafe(unit(tx)).catch_unwind().await;
    let (keep, answer) = match ran {
        Ok(Ran { keep, answer }) => (keep, answer),
        Err(_panic) => (false, Box::new(|_| {}) as Box<dyn FnOnce(Result<(), String>) + Send>),
    };
    let next = match (keep, last) {
        (true, true) => None,
        (true, false) => Some("RELEASE unit; SAVEPOINT unit"),
        (false, true) => Some("ROLLBACK TO unit"),
        (false, false) => Some("ROLLBACK TO unit; RELEASE unit; SAVEPOINT unit"),
    };
    if let Some(next) = next {
        tx.execute(sql(next)).await?;
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SqliteSync, Store};

    /// A store on a fresh SQLite file, with a table to write to.
    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
        let store = Store::open(&url, SqliteSync::Full).await.expect("opens");
        store
            .write()
            .execute(sql("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            .await
            .expect("a table");
        (store, dir)
    }

    /// A unit inserting `rows` in order; answers the last one.
    fn insert(rows: &'static [i64]) -> Work<i64, StoreError> {
        Box::new(move |tx| {
            async move {
                for n in rows {
                    tx.execute(sql("INSERT INTO t (n) VALUES ($1)").bind(*n)).await?;
                }
                Ok(rows.last().copied().unwrap_or_default())
            }
            .boxed()
        })
    }

    async fn stored(store: &Store) -> Vec<i64> {
        let rows: Vec<(i64,)> = store
            .read()
            .fetch_all(sql("SELECT n FROM t ORDER BY n"))
            .await
            .expect("read");
        rows.into_iter().map(|(n,)| n).collect()
    }

    #[tokio::test]
    async fn units_waiting_together_are_each_answered_and_a_failing_one_keeps_nothing_of_its_own() {
        let (store, _dir) = store().await;
        // Hold the write connection, so every unit below queues and they run as one batch.
        let held = store.begin().await.expect("the write lock");
        // The third writes 5, then fails on 2: its 5 must not stay.
        let units = [&[1][..], &[2], &[5, 2], &[3]].map(|rows| store.write_unit(insert(rows)));
        let both = async {
            tokio::task::yield_now().await;
            drop(held);
        };
        let (results, ()) = tokio::join!(futures::future::join_all(units), both);

        let outcomes: Vec<Result<i64, bool>> = results
            .into_iter()
            .map(|r| r.map_err(|e| e.is_unique_violation()))
            .collect();
        assert_eq!(outcomes, [Ok(1), Ok(2), Err(true), Ok(3)]);
        assert_eq!(stored(&store).await, [1, 2, 3]);
    }

    #[tokio::test]
    async fn a_unit_that_panics_is_rolled_back_and_its_neighbours_are_kept() {
        let (store, _dir) = store().await;
        let held = store.begin().await.expect("the write lock");
        let panics: Work<i64, StoreError> = Box::new(|tx| {
            async move {
                tx.execute(sql("INSERT INTO t (n) VALUES (7)")).await?;
                panic!("a bug in a unit");
            }
            .boxed()
        });
        let units = async {
            tokio::join!(
                store.write_unit(insert(&[1])),
                store.write_unit(panics),
                store.write_unit(insert(&[2]))
            )
        };
        let release = async {
            tokio::task::yield_now().await;
            drop(held);
        };
        let ((first, broken, last), ()) = tokio::join!(units, release);

        assert_eq!((first.expect("kept"), last.expect("kept")), (1, 2));
        assert!(matches!(broken, Err(StoreError::Commit(_))), "{broken:?}");
        assert_eq!(stored(&store).await, [1, 2]);
    }
}
