//! The `…Async` methods (Kotlin `suspend`, Swift `async throws`): the
//! blocking core call runs on a thread of its own and the caller's coroutine
//! or task is resumed when it is done, so no dispatcher, executor or main
//! thread is ever blocked. No async runtime is involved: UniFFI polls the
//! returned future from the foreign side and this module wakes it.
//!
//! Cancelling the coroutine or task drops the future; the request already on
//! its way still completes (a payment may have been sent) and its answer is
//! discarded.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::{KopoKopoError, R, guarded};

struct Slot<T> {
    result: Option<R<T>>,
    waker: Option<Waker>,
}

/// The answer of a call running on its own thread.
pub(crate) struct Background<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Background<T> {
    type Output = R<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<R<T>> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match slot.result.take() {
            Some(r) => Poll::Ready(r),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Runs `f` (inside the panic guard of every export) on a new thread.
pub(crate) fn spawn<T: Send + 'static>(f: impl FnOnce() -> R<T> + Send + 'static) -> Background<T> {
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let theirs = Arc::clone(&slot);
    let started = std::thread::Builder::new().name("kopokopo-call".into()).spawn(move || {
        let r = guarded(f);
        let waker = {
            let mut s = theirs.lock().unwrap_or_else(PoisonError::into_inner);
            s.result = Some(r);
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    });
    if let Err(e) = started {
        slot.lock().unwrap_or_else(PoisonError::into_inner).result = Some(Err(KopoKopoError::from(
            kopokopo::Error::transport(format!("could not start a thread for the call: {e}")),
        )));
    }
    Background { slot }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn block_on<T>(mut fut: Background<T>) -> (R<T>, usize) {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(r) = Pin::new(&mut fut).poll(&mut cx) {
                return (r, count.0.load(Ordering::SeqCst));
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn answers_and_wakes() {
        let (r, _) = block_on(spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            Ok(7)
        }));
        assert_eq!(r, Ok(7));
    }

    #[test]
    fn a_panic_is_an_internal_error() {
        let (r, _) = block_on(spawn::<u8>(|| panic!("boom")));
        let e = r.unwrap_err();
        assert_eq!(e.code(), "internal");
    }
}
