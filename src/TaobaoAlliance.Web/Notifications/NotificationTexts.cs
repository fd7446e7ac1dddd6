using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Notifications;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Notifications;

/// <summary>Marker type of the notifications' own resource file (Resources/Notifications/NotificationResource.*.resx).</summary>
public sealed class NotificationResource;

/// <summary>A notification in words: a title, a sentence, and the page it is about.</summary>
public sealed record NotificationText(string Title, string Body, string Link);

/// <summary>
/// Turns a stored notification (kind + arguments) into words in a given language, at read time: the bell's list in the
/// reader's UI culture, an email in the recipient's stored language. Unknown or damaged arguments read as blanks, never fail.
/// </summary>
public sealed class NotificationTexts(IStringLocalizer<NotificationResource> localizer)
{
    /// <summary>The user's stored language as a supported culture (English when unset or unknown).</summary>
    public static CultureInfo CultureOf(string? language) =>
        LocalizationExtensions.Supported.FirstOrDefault(c => string.Equals(c.Name, language, StringComparison.OrdinalIgnoreCase))
        ?? LocalizationExtensions.Supported[0];

    /// <summary>The words of every kind a preference can be set for, for the preferences page.</summary>
    public string KindName(NotificationKind kind) => kind switch
    {
        NotificationKind.SiteDecision => localizer["Site decisions"],
        NotificationKind.PlanDecision => localizer["Targeted plan decisions"],
        NotificationKind.PayoutDecision => localizer["Payout decisions"],
        NotificationKind.CommissionConfirmed => localizer["Commissions settled"],
        NotificationKind.CommissionReversed => localizer["Commissions reversed or clawed back"],
        NotificationKind.WalletLow => localizer["Wallet running low"],
        NotificationKind.CampaignStopped => localizer["Campaign stopped"],
        NotificationKind.ItemDelisted => localizer["Items delisted by the platform"],
        NotificationKind.ItemRelisted => localizer["Items relisted by the platform"],
        _ => kind.ToString(),
    };

    public NotificationText Render(NotificationKind kind, string argumentsJson, CultureInfo culture)
    {
        var (ui, formats) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            using var arguments = Parse(argumentsJson);
            return Render(kind, arguments.RootElement);
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
            CultureInfo.CurrentCulture = formats;
        }
    }

    private NotificationText Render(NotificationKind kind, JsonElement a)
    {
        switch (kind)
        {
            case NotificationKind.SiteDecision:
                var site = Text(a, "site");
                return Text(a, "state") switch
                {
                    "Approved" => new(localizer["Site approved"], localizer["Your site “{0}” is approved: its links and zones now earn.", site], "/Webmaster/Sites"),
                    "Rejected" => new(localizer["Site rejected"], localizer["Your site “{0}” was rejected: {1}", site, Text(a, "reason")], "/Webmaster/Sites"),
                    _ => new(localizer["Site suspended"], localizer["Your site “{0}” is suspended: {1}", site, Text(a, "reason")], "/Webmaster/Sites"),
                };
            case NotificationKind.PlanDecision:
                var plan = Text(a, "plan");
                return Text(a, "state") == "Approved"
                    ? new(localizer["Targeted plan approved"], localizer["You are in the targeted plan “{0}”: its rate applies to your clicks from now on.", plan], "/Webmaster/Library")
                    : new(localizer["Targeted plan declined"], localizer["The seller declined your application to the targeted plan “{0}”.", plan], "/Webmaster/Library");
            case NotificationKind.PayoutDecision:
                var payout = Fen(a, "amountFen");
                return Text(a, "state") == "Approved"
                    ? new(localizer["Payout approved"], localizer["Your payout request of {0} is approved.", payout], "/Webmaster/Balance")
                    : new(localizer["Payout rejected"], localizer["Your payout request of {0} was rejected: {1}. The money is back in your available balance.", payout, Text(a, "reason")], "/Webmaster/Balance");
            case NotificationKind.CommissionConfirmed:
                return new(localizer["Commissions settled"],
                    localizer["{0} commissions settled: {1} moved to your available balance.", Number(a, "count"), Fen(a, "amountFen")], "/Webmaster/Balance");
            case NotificationKind.CommissionReversed:
                var (order, amount) = (Text(a, "order"), Fen(a, "amountFen"));
                if (Flag(a, "voided"))
                    return new(localizer["Commission voided"], localizer["An admin voided commission on order {0}: {1} taken back.", order, amount], "/Webmaster/Balance");
                return Flag(a, "clawback")
                    ? new(localizer["Commission clawed back"], localizer["A refund on order {0} took back {1} of settled commission from your available balance.", order, amount], "/Webmaster/Balance")
                    : new(localizer["Commission reversed"], localizer["A refund on order {0} reversed {1} of your pending commission.", order, amount], "/Webmaster/Balance");
            case NotificationKind.WalletLow:
                return new(localizer["Wallet running low"],
                    localizer["Your wallet holds {0}, below {1}. Add funds so your campaigns keep running.", Fen(a, "balanceFen"), Fen(a, "thresholdFen")], "/Seller/Wallet");
            case NotificationKind.CampaignStopped:
                var campaign = Text(a, "campaign");
                return Text(a, "reason") == "WalletEmpty"
                    ? new(localizer["Campaign stopped: wallet empty"], localizer["Campaign “{0}” stopped: your wallet cannot pay its clicks. Add funds to resume.", campaign], "/Seller/Campaigns")
                    : new(localizer["Campaign stopped for today"], localizer["Campaign “{0}” has spent its daily budget; it runs again tomorrow.", campaign], "/Seller/Campaigns");
            case NotificationKind.ItemDelisted:
            {
                var title = CultureInfo.CurrentUICulture.IsChinese() ? Text(a, "titleZh") : Text(a, "titleEn");
                var reason = DelistReasonText(Text(a, "reason"));
                var note = Text(a, "note");
                return new(localizer["Item delisted by the platform"], note.Length > 0
                        ? localizer["Your item “{0}” was delisted by the platform: {1} ({2}). It is off sale until an admin relists it.", title, reason, note]
                        : localizer["Your item “{0}” was delisted by the platform: {1}. It is off sale until an admin relists it.", title, reason],
                    ItemsLink(a));
            }
            case NotificationKind.ItemRelisted:
            {
                var title = CultureInfo.CurrentUICulture.IsChinese() ? Text(a, "titleZh") : Text(a, "titleEn");
                return new(localizer["Item relisted by the platform"], Flag(a, "listed")
                        ? localizer["The platform relisted your item “{0}”: it is on sale again.", title]
                        : localizer["The platform relisted your item “{0}”. It stays off sale until you list it yourself.", title],
                    ItemsLink(a));
            }
            default:
                return new(kind.ToString(), "", "/Notifications");
        }
    }

    /// <summary>A platform delisting's reason code in words (the same words as the admin's and seller's pages).</summary>
    private string DelistReasonText(string code) => code switch
    {
        "Counterfeit" => localizer["counterfeit goods"],
        "Prohibited" => localizer["a prohibited item"],
        "Misleading" => localizer["a misleading listing"],
        _ => localizer["another reason"],
    };

    private static string ItemsLink(JsonElement a) =>
        TryGet(a, "shopId", out var shop) && shop.TryGetInt64(out var shopId)
            ? string.Create(CultureInfo.InvariantCulture, $"/Seller/Shops/{shopId}/Items?show=Delisted")
            : "/Seller/Shops";

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse("{}");
        }
    }

    private static bool TryGet(JsonElement a, string name, out JsonElement value)
    {
        value = default;
        return a.ValueKind == JsonValueKind.Object && a.TryGetProperty(name, out value);
    }

    private static string Text(JsonElement a, string name) =>
        TryGet(a, name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.ToString() : "";

    private static bool Flag(JsonElement a, string name) => TryGet(a, name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string Number(JsonElement a, string name) =>
        TryGet(a, name, out var v) && v.TryGetInt64(out var n) ? n.ToString("#,0", CultureInfo.CurrentCulture) : "";

    private static string Fen(JsonElement a, string name) =>
        TryGet(a, name, out var v) && v.TryGetInt64(out var n) ? new Money(n).ToString() : "";
}
