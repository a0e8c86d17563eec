//! The two threads of each connection: one composes the next messages, the other hands them
//! to the transport, committing each group's hand-over marks before it writes the group (the
//! next group's while it writes this one) and the outcomes soon after (see
//! [`super::handover`]).

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::deliver::{Shared, deliver};
use super::handover::{self, Asked, Mark, Marks};
use super::outcome::{Handed, Outcome, Recording};
use crate::mail::compose::{Composer, Outgoing};
use crate::mail::transport::Transport;
use crate::model::Recipient;

/// At most this many messages are composed and handed to a sending thread together: the
/// group whose hand-over marks are committed together (see `crate::send::handover`).
pub const COMPOSE_BATCH: usize = handover::GROUP;

/// The longest an outcome waits before it is committed.
pub const RECORD_WITHIN: Duration = Duration::from_millis(100);

/// One recipient to mail, with the send id their attempt will carry.
pub struct Job {
    pub recipient: Recipient,
    pub send_id: String,
    pub message_id: String,
    /// It re-sends a message whose outcome is unknown (`Mailing::resending`).
    pub resending: bool,
}

impl Job {
    fn handed(self) -> Handed {
        Handed {
            recipient_id: self.recipient.id,
            unconfirmed_before: self.resending,
            email: self.recipient.email,
            send_id: self.send_id,
            message_id: self.message_id,
        }
    }
}

type Composed = Vec<(Job, anyhow::Result<Outgoing>)>;

/// The composing thread of one connection: takes the next chunk of jobs (at most
/// [`COMPOSE_BATCH`], as the engine queued them) and hands them over composed, one batch ready while the sending thread
/// works through another. Each hand-over between the two threads can cost a wake-up and a
/// context switch, which at a fast server was a large part of a message's CPU. Its end (the
/// end of the jobs, or a panic) ends the sending thread.
pub fn compose(jobs: &Mutex<Receiver<Vec<Job>>>, composer: &Composer, out: SyncSender<Composed>) {
    loop {
        let batch = {
            let queue = jobs.lock().unwrap_or_else(PoisonError::into_inner);
            let Ok(batch) = queue.recv() else { break };
            batch
        };
        let composed = batch
            .into_iter()
            .map(|job| {
                let m = composer.compose_as(&job.recipient, job.send_id.clone());
                (job, m)
            })
            .collect();
        if out.send(composed).is_err() {
            break;
        }
    }
}

/// Outcomes from the sending threads to the engine's thread, which sleeps until it wants them.
pub struct Outcomes {
    pub state: Mutex<Arrived>,
    pub ready: Condvar,
}

pub struct Arrived {
    pub list: Vec<(Handed, Outcome)>,
    /// The engine's thread is woken when this many outcomes are waiting.
    pub wanted: usize,
    /// Sending threads still running.
    pub running: usize,
}

impl Outcomes {
    pub fn new(senders: usize) -> Outcomes {
        Outcomes {
            state: Mutex::new(Arrived {
                list: Vec::new(),
                wanted: 1,
                running: senders,
            }),
            ready: Condvar::new(),
        }
    }

    /// Hand over an outcome; wake the engine's thread when it is the one it waits for, or when
    /// the run is stopping.
    fn push(&self, outcome: (Handed, Outcome), stopping: bool) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.list.push(outcome);
        if s.list.len() == s.wanted || stopping {
            self.ready.notify_one();
        }
    }
}

/// Held by a sending thread while it runs: its end (also by a panic) wakes the engine's thread.
struct Running<'a>(&'a Outcomes);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut s = self.0.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.running -= 1;
        self.0.ready.notify_one();
    }
}

/// Where a composed message stands with its hand-over mark.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marked {
    No,
    /// In the commit asked for and not answered yet.
    Asked,
    /// Committed: the message may be written.
    Yes,
}

/// A composed message waiting for its sending thread.
struct Ready {
    job: Job,
    message: anyhow::Result<Outgoing>,
    marked: Marked,
}

impl Ready {
    /// It is to be written, and its mark is not committed or asked for.
    fn unmarked(&self) -> bool {
        self.marked == Marked::No && self.message.is_ok()
    }
}

/// What a sending thread works with.
pub struct Sender<'a> {
    pub transport: &'a mut dyn Transport,
    pub marks: Marks,
    pub shared: &'a Shared,
    pub outcomes: &'a Outcomes,
    pub recording: &'a Recording,
}

/// The commit a sending thread asked for: the outcomes it records, passed on once it is durable.
struct Pending {
    asked: Asked,
    outcomes: Vec<(Handed, Outcome)>,
}

/// One sending thread's state: the composed messages it holds, the outcomes it has not asked
/// to commit yet (since `oldest`), and the commit it waits for.
struct Queue {
    ready: VecDeque<Ready>,
    done: Vec<(Handed, Outcome)>,
    oldest: Option<Instant>,
    pending: Option<Pending>,
}

impl Queue {
    fn take(&mut self, batch: Composed) {
        self.ready
            .extend(batch.into_iter().map(|(job, message)| Ready {
                job,
                message,
                marked: Marked::No,
            }));
    }
}

impl Sender<'_> {
    /// Hand over every composed message that arrives on `composed`, until it ends.
    ///
    /// Each group is marked before its first message's data is written (a message written
    /// ahead is only its envelope); the next group's marks are asked for while this group is
    /// written, in one commit with the outcomes so far. Outcomes also wait at most
    /// `RECORD_WITHIN` (a slow or paced run), and none when the run stops.
    pub fn run(mut self, composed: Receiver<Composed>) {
        let _running = Running(self.outcomes);
        let mut q = Queue {
            ready: VecDeque::new(),
            done: Vec::new(),
            oldest: None,
            pending: None,
        };
        loop {
            if q.ready.is_empty() {
                self.record_all(&mut q);
                match composed.recv() {
                    Ok(batch) => q.take(batch),
                    Err(_) => break,
                }
            }
            // The next group, when it is composed already: its marks are synced while the
            // marked group is written.
            if !q.ready.iter().any(Ready::unmarked)
                && let Ok(batch) = composed.try_recv()
            {
                q.take(batch);
            }
            let stopping = self.shared.stopping() || self.shared.check_deadline();
            let front_unmarked = !stopping && q.ready.front().is_some_and(Ready::unmarked);
            // A commit already answered is settled at once, so that the next can be asked for.
            if front_unmarked || q.pending.as_mut().is_some_and(|p| p.asked.answered()) {
                self.settle(&mut q);
            }
            // Marks run at most one group ahead of the one being written: a crash leaves at most
            // [`handover::IN_FLIGHT`] messages of this connection marked without an outcome.
            let to_mark = !stopping
                && q.ready.iter().any(Ready::unmarked)
                && q.ready.iter().filter(|r| r.marked == Marked::Yes).count() + handover::GROUP
                    <= handover::IN_FLIGHT;
            let due = q.oldest.is_some_and(|t| t.elapsed() >= RECORD_WITHIN);
            if q.pending.is_none() && (to_mark || (!q.done.is_empty() && (stopping || due))) {
                self.ask(&mut q, to_mark);
            }
            if q.ready.front().is_some_and(|r| r.marked == Marked::Asked) {
                self.settle(&mut q);
            }
            self.hand_over_next(&mut q, &composed);
        }
        self.record_all(&mut q);
        self.transport.close();
    }

    /// Hand over the first message of the queue and keep its outcome.
    fn hand_over_next(&mut self, q: &mut Queue, composed: &Receiver<Composed>) {
        let Some(Ready {
            job,
            message,
            marked,
        }) = q.ready.pop_front()
        else {
            return;
        };
        // The message after this one, when it is composed already (not waited for), and not
        // under --rate: the transport may start its transaction behind this one's data, which
        // a paced run would hold open while pacing.
        if q.ready.is_empty()
            && let Ok(batch) = composed.try_recv()
        {
            q.take(batch);
        }
        let next = q
            .ready
            .front()
            .filter(|_| self.shared.pacer.is_none())
            .and_then(|n| n.message.as_ref().ok());
        let marked = marked == Marked::Yes;
        let outcome = match &message {
            Ok(_) if !marked && self.shared.time_up() && !self.shared.stopping() => {
                Outcome::Postponed
            }
            Ok(_) if !marked => self.shared.not_attempted(),
            Ok(m) => deliver(self.transport, m, next, self.shared),
            Err(e) => Outcome::Failed(format!("{e:#}")),
        };
        q.done.push((job.handed(), outcome));
        q.oldest.get_or_insert_with(Instant::now);
    }

    /// Ask for the commit of the outcomes waiting in `q` and, when `mark`, of the hand-over
    /// marks of the next group (at most [`handover::GROUP`] messages not marked yet). One
    /// commit at a time: the caller has settled the previous one.
    fn ask(&mut self, q: &mut Queue, mark: bool) {
        debug_assert!(q.pending.is_none());
        let group: Vec<Mark<'_>> = q
            .ready
            .iter()
            .filter(|r| mark && r.unmarked())
            .take(handover::GROUP)
            .map(|r| Mark {
                recipient_id: r.job.recipient.id,
                send_id: &r.job.send_id,
                message_id: &r.job.message_id,
            })
            .collect();
        let marking = group.len();
        let records: Vec<handover::Recorded> = q
            .done
            .iter()
            .filter_map(|(m, o)| self.recording.event(m, o))
            .collect();
        let outcomes = std::mem::take(&mut q.done);
        q.oldest = None;
        match self.marks.ask(&records, &group) {
            Ok(asked) => {
                q.ready
                    .iter_mut()
                    .filter(|r| r.unmarked())
                    .take(marking)
                    .for_each(|r| r.marked = Marked::Asked);
                q.pending = Some(Pending { asked, outcomes });
            }
            Err(e) => self.failed(outcomes, &e),
        }
    }

    /// Wait for the commit asked for, if any: its marks let their messages be written, its
    /// outcomes go on to the engine's thread. On failure the run stops: nothing unmarked is
    /// handed over, and the outcomes not recorded stay unconfirmed.
    fn settle(&mut self, q: &mut Queue) {
        let Some(Pending { asked, outcomes }) = q.pending.take() else {
            return;
        };
        match asked.wait() {
            Ok(()) => {
                for r in q.ready.iter_mut().filter(|r| r.marked == Marked::Asked) {
                    r.marked = Marked::Yes;
                }
                let stopping = self.shared.stopping();
                for o in outcomes {
                    self.outcomes.push(o, stopping);
                }
            }
            Err(e) => {
                for r in q.ready.iter_mut().filter(|r| r.marked == Marked::Asked) {
                    r.marked = Marked::No;
                }
                self.failed(outcomes, &e);
            }
        }
    }

    /// Settle the commit asked for and commit every outcome still waiting.
    fn record_all(&mut self, q: &mut Queue) {
        self.settle(q);
        if !q.done.is_empty() {
            self.ask(q, false);
            self.settle(q);
        }
    }

    /// A commit failed: stop the run; the outcomes it held are unknown.
    fn failed(&mut self, mut outcomes: Vec<(Handed, Outcome)>, e: &anyhow::Error) {
        let why = format!("cannot record the send outcomes: {e:#}");
        self.shared.halt(why.clone());
        for (_, o) in outcomes.iter_mut() {
            *o = Outcome::Unknown(why.clone());
        }
        for o in outcomes {
            self.outcomes.push(o, true);
        }
    }
}
