//! The two threads of each connection: one composes the next messages, the other hands them
//! to the transport, committing each group's hand-over marks before it writes the group and
//! the outcomes soon after (see [`super::handover`]).

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::deliver::{Shared, deliver};
use super::handover::{self, Mark, Marks};
use super::outcome::{Handed, Outcome, Recording};
use crate::mail::compose::{Composer, Outgoing};
use crate::mail::transport::Transport;
use crate::model::Recipient;

/// At most this many messages are composed and handed to a sending thread together: the
/// group whose hand-over marks are committed together (see `crate::send::handover`).
const COMPOSE_BATCH: usize = handover::GROUP;

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

/// The composing thread of one connection: takes the jobs waiting when it looks (at most
/// [`COMPOSE_BATCH`]) and hands them over composed, one batch ready while the sending thread
/// works through another. Each hand-over between the two threads can cost a wake-up and a
/// context switch, which at a fast server was a large part of a message's CPU. Its end (the
/// end of the jobs, or a panic) ends the sending thread.
pub fn compose(jobs: &Mutex<Receiver<Job>>, composer: &Composer, out: SyncSender<Composed>) {
    loop {
        let mut batch = Vec::with_capacity(COMPOSE_BATCH);
        {
            let queue = jobs.lock().unwrap_or_else(PoisonError::into_inner);
            let Ok(job) = queue.recv() else { break };
            batch.push(job);
            while batch.len() < COMPOSE_BATCH {
                let Ok(job) = queue.try_recv() else { break };
                batch.push(job);
            }
        }
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

/// A composed message waiting for its sending thread; `marked` once its attempt is committed.
struct Ready {
    job: Job,
    message: anyhow::Result<Outgoing>,
    marked: bool,
}

/// What a sending thread works with.
pub struct Sender<'a> {
    pub transport: &'a mut dyn Transport,
    pub marks: Marks,
    pub shared: &'a Shared,
    pub outcomes: &'a Outcomes,
    pub recording: &'a Recording,
}

/// One sending thread's state: the composed messages it holds, and the outcomes it has not
/// committed yet (since `oldest`).
struct Queue {
    ready: VecDeque<Ready>,
    done: Vec<(Handed, Outcome)>,
    oldest: Option<Instant>,
}

impl Queue {
    fn take(&mut self, batch: Composed) {
        self.ready
            .extend(batch.into_iter().map(|(job, message)| Ready {
                job,
                message,
                marked: false,
            }));
    }
}

impl Sender<'_> {
    /// Hand over every composed message that arrives on `composed`, until it ends.
    pub fn run(mut self, composed: Receiver<Composed>) {
        let _running = Running(self.outcomes);
        let mut q = Queue {
            ready: VecDeque::new(),
            done: Vec::new(),
            oldest: None,
        };
        loop {
            if q.ready.is_empty() {
                if !q.done.is_empty() {
                    self.flush(&mut q, false);
                }
                match composed.recv() {
                    Ok(batch) => q.take(batch),
                    Err(_) => break,
                }
            }
            // The group this message belongs to is marked before its first message's data is
            // written (a message written ahead is only its envelope), in the commit of the
            // previous group's outcomes; outcomes also wait at most `RECORD_WITHIN` (a slow or
            // paced run), and none when the run stops.
            let stopping = self.shared.stopping() || self.shared.check_deadline();
            let mark = q.ready.front().is_some_and(|r| !r.marked) && !stopping;
            let due = q.oldest.is_some_and(|t| t.elapsed() >= RECORD_WITHIN);
            if mark || (!q.done.is_empty() && (stopping || due)) {
                self.flush(&mut q, mark);
            }
            self.hand_over_next(&mut q, &composed);
        }
        self.flush(&mut q, false);
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

    /// Commit the outcomes waiting in `q` and, when `mark`, the hand-over marks of the composed
    /// group (the group about to be written to the connection), then pass the outcomes on to
    /// the engine's thread. On failure the run stops: nothing unmarked is handed over, and the
    /// outcomes not recorded stay unconfirmed.
    fn flush(&mut self, q: &mut Queue, mark: bool) {
        let group: Vec<Mark<'_>> = q
            .ready
            .iter()
            .filter(|r| mark && !r.marked && r.message.is_ok())
            .map(|r| Mark {
                recipient_id: r.job.recipient.id,
                send_id: &r.job.send_id,
                message_id: &r.job.message_id,
            })
            .collect();
        let records: Vec<handover::Recorded> = q
            .done
            .iter()
            .filter_map(|(m, o)| self.recording.event(m, o))
            .collect();
        match self.marks.commit(&records, &group) {
            Ok(()) if mark => q.ready.iter_mut().for_each(|r| r.marked = true),
            Ok(()) => {}
            Err(e) => {
                let why = format!("cannot record the send outcomes: {e:#}");
                self.shared.halt(why.clone());
                for (_, o) in q.done.iter_mut() {
                    *o = Outcome::Unknown(why.clone());
                }
            }
        }
        q.oldest = None;
        let stopping = self.shared.stopping();
        for o in q.done.drain(..) {
            self.outcomes.push(o, stopping);
        }
    }
}
