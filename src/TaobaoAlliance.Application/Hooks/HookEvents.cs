namespace TaobaoAlliance.Application.Hooks;

/// <summary>The events postbacks (webmasters) and webhooks (sellers) tell of, by the names sent in <c>event</c>.</summary>
public static class HookEvents
{
    public const string CommissionCreated = "commission.created";
    public const string CommissionConfirmed = "commission.confirmed";
    public const string CommissionReversed = "commission.reversed";
    public const string CommissionClawedBack = "commission.clawed_back";

    public const string OrderAttributed = "order.attributed";
    public const string CommissionStateChanged = "commission.state_changed";
    public const string WalletLow = "wallet.low";
    public const string CampaignStopped = "campaign.stopped";

    /// <summary>Every postback event: a site's postback fires on all of them.</summary>
    public static readonly IReadOnlyList<string> Postback = [CommissionCreated, CommissionConfirmed, CommissionReversed, CommissionClawedBack];

    /// <summary>The webhook events a seller may choose.</summary>
    public static readonly IReadOnlyList<string> Webhook = [OrderAttributed, CommissionStateChanged, WalletLow, CampaignStopped];
}

/// <summary>What happened to a commission, as its postback tells it.</summary>
public enum CommissionChange { Created, Confirmed, Reversed, ClawedBack }
