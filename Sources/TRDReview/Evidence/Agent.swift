import MetaAnalysis

/// A treatment as `studies.csv` and `outcomes.csv` code it (the study's agent of interest, or an arm's treatment).
public enum Agent: String, CaseIterable, Sendable, Codable {
    case ketamine
    case esketamine
    /// Both enantiomer forms in one study (refs 60, 78).
    case ketamineAndEsketamine = "ketamine_and_esketamine"
    case midazolam
    case placebo
    case waitlist
    case quetiapineXR = "quetiapine_xr"
    case aripiprazole
    case bupropion
    case lithium
    case nortriptyline
    case venlafaxineOrDuloxetine = "venlafaxine_or_duloxetine"
    case rtms
    case atypicalAntipsychotics = "atypical_antipsychotics"
    case psilocybin
    case ayahuasca
    case dmt
    case dCycloserine = "d_cycloserine"

    public var displayName: String {
        switch self {
        case .ketamine: return "Ketamine"
        case .esketamine: return "Esketamine"
        case .ketamineAndEsketamine: return "Ketamine and esketamine"
        case .midazolam: return "Midazolam"
        case .placebo: return "Placebo"
        case .waitlist: return "Waitlist"
        case .quetiapineXR: return "Quetiapine XR"
        case .aripiprazole: return "Aripiprazole"
        case .bupropion: return "Bupropion"
        case .lithium: return "Lithium"
        case .nortriptyline: return "Nortriptyline"
        case .venlafaxineOrDuloxetine: return "Venlafaxine or duloxetine"
        case .rtms: return "rTMS"
        case .atypicalAntipsychotics: return "Atypical antipsychotics"
        case .psilocybin: return "Psilocybin"
        case .ayahuasca: return "Ayahuasca"
        case .dmt: return "DMT"
        case .dCycloserine: return "D-cycloserine"
        }
    }
}
