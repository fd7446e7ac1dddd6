namespace TaobaoAlliance.Attribution.Clicks;

/// <summary>What is known about a click when it arrives, as far as its validity goes.</summary>
/// <param name="SiteApproved">The link's site is Approved (not Pending, Rejected or Suspended).</param>
/// <param name="LinkPaused">The webmaster paused the link.</param>
/// <param name="IsHeadRequest">A HEAD request: a client checking the link, not a shopper following it.</param>
/// <param name="UserAgent">The User-Agent header, if any.</param>
/// <param name="RecentClicksFromIpOnSite">Clicks already recorded in the last minute from the same IP hash on the same site.</param>
public sealed record ClickFacts(bool SiteApproved, bool LinkPaused, bool IsHeadRequest, string? UserAgent, int RecentClicksFromIpOnSite);

/// <summary>A click is recorded either way; only a valid one can earn. <see cref="InvalidReason"/> says why not.</summary>
public sealed record ClickDecision(bool IsValid, string? InvalidReason)
{
    public static readonly ClickDecision Valid = new(true, null);

    public static ClickDecision Invalid(string reason) => new(false, reason);
}

/// <summary>The reasons a click is invalid, as stored in <c>clicks.invalid_reason</c> and shown in reports.</summary>
public static class InvalidClickReasons
{
    public const string SiteNotApproved = "site_not_approved";
    public const string LinkPaused = "link_paused";
    public const string LinkPreview = "link_preview";
    public const string NoUserAgent = "no_user_agent";
    public const string BotUserAgent = "bot_user_agent";
    public const string IpRateLimit = "ip_rate_limit";

    /// <summary>A smart-zone ad clicked after its token's lifetime: recorded, never paid.</summary>
    public const string CpcTokenExpired = "cpc_token_expired";

    /// <summary>A smart-zone ad's token used again after its impression was already clicked.</summary>
    public const string CpcTokenReplayed = "cpc_token_replayed";

    /// <summary>A paid click while PostgreSQL was away: the shopper was sent on, the click kept (spooled), nothing charged.</summary>
    public const string CpcChargeUnavailable = "cpc_charge_unavailable";
}

/// <summary>
/// The fraud rules of a click (product.md, "Fraud"), checked in order; the first that matches is the
/// reason. The order puts the webmaster's own state first (it explains the click best in a report),
/// then previews, which are the commonest false click.
/// </summary>
public static class ClickRules
{
    public static ClickDecision Decide(ClickFacts facts, int maxClicksPerMinutePerIpPerSite)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.SiteApproved) return ClickDecision.Invalid(InvalidClickReasons.SiteNotApproved);
        if (facts.LinkPaused) return ClickDecision.Invalid(InvalidClickReasons.LinkPaused);
        if (facts.IsHeadRequest) return ClickDecision.Invalid(InvalidClickReasons.LinkPreview);
        var kind = UserAgents.Default.Classify(facts.UserAgent);
        if (kind == UserAgentKind.Preview) return ClickDecision.Invalid(InvalidClickReasons.LinkPreview);
        if (kind == UserAgentKind.Missing) return ClickDecision.Invalid(InvalidClickReasons.NoUserAgent);
        if (kind == UserAgentKind.Bot) return ClickDecision.Invalid(InvalidClickReasons.BotUserAgent);
        // This click would be number RecentClicks + 1 in the minute.
        if (facts.RecentClicksFromIpOnSite >= maxClicksPerMinutePerIpPerSite) return ClickDecision.Invalid(InvalidClickReasons.IpRateLimit);
        return ClickDecision.Valid;
    }
}
