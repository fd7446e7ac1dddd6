using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Attribution.Hooks;
using TaobaoAlliance.Data.Hooks;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Hooks;

/// <summary>What the postback and webhook pages say, in the reader's language.</summary>
public static class HookText
{
    public static string Problem(HookUrlProblem problem, IStringLocalizer<SharedResource> l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return problem switch
        {
            HookUrlProblem.Missing => l["Enter an address."],
            HookUrlProblem.TooLong => l["The address can be at most {0} characters.", PostbackTemplate.MaxLength],
            HookUrlProblem.NotHttp => l["Enter a full http:// or https:// address."],
            HookUrlProblem.HasUserInfo => l["The address must not contain a user name or password."],
            HookUrlProblem.UnknownMacro => l["Only these macros can be used, each in braces: {0}.", string.Join(", ", PostbackTemplate.Macros.Select(m => "{" + m + "}"))],
            HookUrlProblem.MacroInHost => l["Macros can be used in the path and query, not in the host name."],
            _ => l["This address is internal (loopback or private network): postbacks and webhooks go to public servers only."],
        };
    }

    public static string State(HookMessageState state, IStringLocalizer<SharedResource> l) => state switch
    {
        HookMessageState.Pending => l["Waiting"],
        HookMessageState.Delivered => l["Delivered"],
        _ => l["Given up"],
    };

    public static string Event(string @event, IStringLocalizer<SharedResource> l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return @event switch
        {
            HookEvents.CommissionCreated => l["Commission created"],
            HookEvents.CommissionConfirmed => l["Commission confirmed"],
            HookEvents.CommissionReversed => l["Commission reversed"],
            HookEvents.CommissionClawedBack => l["Commission clawed back"],
            HookEvents.OrderAttributed => l["Order attributed"],
            HookEvents.CommissionStateChanged => l["Commission state changed"],
            HookEvents.WalletLow => l["Wallet low"],
            HookEvents.CampaignStopped => l["Campaign stopped"],
            _ => @event,
        };
    }
}

/// <summary>The delivery log partial's model: the messages, and the shop (webhooks) the "send again" form names.</summary>
public sealed record HookLogModel(IReadOnlyList<HookMessageView> Messages, long? ShopId);
