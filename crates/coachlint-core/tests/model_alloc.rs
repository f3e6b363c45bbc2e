//! The advice model runs on every coach statement no rule caught, so scoring
//! must not allocate. An allocator that counts this thread's allocations
//! checks it (its own test binary, so no other test is affected).

use coachlint_core::model::AdviceModel;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn scoring_a_sentence_does_not_allocate() {
    // Loading the embedded model allocates its weights once.
    let m = AdviceModel::builtin().expect("the embedded advice model parses");
    let sentences = [
        "I think you should probably talk to your manager about the deadline before Friday.",
        "So, you know, try the stairs.",
        "Ünïcödé words, digits 10:30 and the kids' room — then “quotes”?",
        "",
        "Set an alarm on your phone.",
    ];
    // A first call of each, outside the count (nothing lazy should remain, but
    // the test is about the steady state).
    for s in sentences {
        std::hint::black_box(m.assess(s));
    }
    let before = allocations();
    let mut advice = 0;
    for s in sentences {
        advice += usize::from(m.assess(s).advice);
        std::hint::black_box(m.probability(s));
        std::hint::black_box(coachlint_core::model::opens_with_instruction(s));
    }
    assert_eq!(allocations() - before, 0, "assess allocated");
    // The count is live: an allocation here is seen.
    std::hint::black_box(String::from("x").repeat(3));
    assert!(allocations() > before);
    assert!(advice >= 1);
}
