//! Conformance gate: every corpus model renders, and each one with Khronos Render-Fidelity
//! references scores at least the threshold of `docs/conformance.md` (best masked colour SSIM over
//! its references, at 256 px wide). A frame without the model, and a black frame, must score
//! below that threshold, so the gate cannot pass on a render that lost the model. Models without a
//! reference must cover part of the frame with more than a few colours.
//!
//! The corpus is `$DISAN_CORPUS`, by default `<repo>/../shared/corpus`; without it the test is
//! skipped with a notice.

use anyhow::Result;
use disan_conformance::{self as conformance, Scenario};
use disan_render::GpuContext;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Best masked colour SSIM over a model's references, for every model not listed below.
const THRESHOLD: f64 = 0.70;
/// Models that cannot reach [`THRESHOLD`] for a reason outside what this gate measures. Each
/// threshold is still above what a frame without the model scores (checked below).
const EXCEPTIONS: &[(&str, f64, &str)] = &[
    (
        "DamagedHelmet",
        0.44,
        "its references are lit by aircraft_workshop_01_1k.hdr, which is not available: the visor \
         and metal mirror that workshop there and our studio here",
    ),
    (
        "MetalRoughSpheresNoTextures",
        0.40,
        "its references show the unavailable lightroom_14b.hdr as a skybox behind the spheres, and \
         the smooth metal spheres mirror it",
    ),
    (
        "ToyCar",
        0.50,
        "its look depends on KHR_materials_sheen (the cloth), transmission (the windows) and \
         clearcoat (the paint), which Disan does not implement",
    ),
];
/// Models without a reference: the share of the frame the model must cover, and the distinct
/// colours (5 bits per channel) it must show there.
const MIN_COVERAGE: f64 = 0.05;
const MIN_COLOURS: usize = 16;

fn threshold(model: &str) -> f64 {
    EXCEPTIONS
        .iter()
        .find(|(m, _, _)| *m == model)
        .map_or(THRESHOLD, |(_, t, _)| *t)
}

/// Checks one model; `Err` says why it fails the gate.
fn check(ctx: &GpuContext, s: &Scenario, report: &mut String) -> Result<(), String> {
    let err = |e: anyhow::Error| format!("{e:#}");
    let rendered = conformance::render(ctx, s, conformance::GATE_WIDTH).map_err(err)?;
    let (_, comparisons) = conformance::compare(&rendered, s).map_err(err)?;
    let sum = conformance::summarize(&rendered, &comparisons).map_err(err)?;
    let (coverage, colours) = (sum.coverage * 100.0, sum.colours);
    let (Some(best), Some(empty), Some(black)) = (sum.best, sum.empty, sum.black) else {
        if !s.references.is_empty() {
            return Err("no usable reference".into());
        }
        let _ = writeln!(
            report,
            "{:32} no reference: coverage {coverage:.1} %, {colours} colours",
            s.model
        );
        if sum.coverage < MIN_COVERAGE || colours < MIN_COLOURS {
            return Err(format!(
                "looks blank: covers {coverage:.1} % of the frame (need {:.0} %) with {colours} \
                 colours (need {MIN_COLOURS})",
                MIN_COVERAGE * 100.0
            ));
        }
        return Ok(());
    };
    let t = threshold(&s.model);
    let _ = writeln!(
        report,
        "{:32} best {best:.3} (threshold {t:.2}); without the model {empty:.3}, black {black:.3}",
        s.model
    );
    if empty >= t || black >= t {
        return Err(format!(
            "the threshold {t:.2} cannot tell a broken render: a frame without the model scores \
             {empty:.3}, a black one {black:.3}"
        ));
    }
    if best < t {
        return Err(format!("best SSIM {best:.3} is below the threshold {t:.2}"));
    }
    Ok(())
}

#[test]
fn every_corpus_model_meets_the_conformance_gate() -> Result<()> {
    let Some(corpus) = conformance::corpus_or_skip("the conformance gate") else {
        return Ok(());
    };
    let scenarios = conformance::scenarios(&corpus)?;
    assert!(
        scenarios.len() >= 25,
        "expected the 25 corpus models, found {}",
        scenarios.len()
    );
    for (m, _, _) in EXCEPTIONS {
        assert!(
            scenarios.iter().any(|s| s.model == *m),
            "exception for {m}, which is not in the corpus"
        );
    }
    let ctx = GpuContext::headless()?;
    // Models are independent: score them on a few threads (the scoring is CPU work).
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let mut results: Vec<(usize, String, Result<(), String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(s) = scenarios.get(i) else { break };
                        let mut line = String::new();
                        let result = check(&ctx, s, &mut line);
                        out.push((i, line, result));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|r| r.0);
    assert_eq!(results.len(), scenarios.len(), "a worker thread panicked");
    let mut report = String::new();
    let mut failures = Vec::new();
    for (i, line, result) in results {
        report.push_str(&line);
        if let Err(e) = result {
            failures.push(format!("{}: {e}", scenarios[i].model));
        }
    }
    eprintln!("{report}");
    assert!(
        failures.is_empty(),
        "{} model(s) fail the conformance gate:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}
