namespace TaobaoAlliance.Attribution.Sites;

/// <summary>Where a site stands. Only an approved site's clicks can earn.</summary>
public enum SiteState { Pending, Approved, Rejected, Suspended }

/// <summary>What an admin can do with a site under review.</summary>
public enum SiteDecision { Approve, Reject, Suspend }

/// <summary>
/// The site's state machine. Approving needs a verified site, except putting a suspended site back (it
/// was approved before); a rejected site may be reconsidered; only an approved site can be suspended.
/// </summary>
public static class SiteReviewRules
{
    /// <summary>Where <paramref name="decision"/> leads from <paramref name="from"/>, or null when it is not allowed.</summary>
    public static SiteState? Target(SiteDecision decision, SiteState from, bool verified) => (decision, from) switch
    {
        (SiteDecision.Approve, SiteState.Suspended) => SiteState.Approved,
        (SiteDecision.Approve, SiteState.Pending or SiteState.Rejected) when verified => SiteState.Approved,
        (SiteDecision.Reject, SiteState.Pending) => SiteState.Rejected,
        (SiteDecision.Suspend, SiteState.Approved) => SiteState.Suspended,
        _ => null,
    };

    /// <summary>Rejecting and suspending tell the webmaster why; approving needs no reason.</summary>
    public static bool NeedsReason(SiteDecision decision) => decision != SiteDecision.Approve;
}
