using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Web.Admin;

/// <summary>
/// The audit log in the reader's language: an action code ("item.rate") becomes a phrase, and the
/// stored JSON details become labelled values (rates as percent, fen as yuan, times in China time).
/// A code written by a newer feature that has no phrase yet still shows, as its code.
/// </summary>
public static class AuditText
{
    /// <summary>One labelled value of an entry's details.</summary>
    public sealed record Detail(string Label, string Value);

    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["account.delete"] = "Account deleted by its owner",
        ["account.twofactor.disable"] = "Two-factor sign-in turned off",
        ["admin.invite"] = "Admin invited",
        ["admin.invite.accept"] = "Admin invite accepted",
        ["account.disable"] = "Account disabled",
        ["account.enable"] = "Account enabled",
        ["account.twofactor.enable"] = "Two-factor sign-in turned on",
        ["account.twofactor.recovery_codes"] = "New two-factor recovery codes made",
        ["apikey.rotate"] = "API key created or rotated",
        ["campaign.create"] = "CPC campaign created",
        ["category.create"] = "Category created",
        ["category.rename"] = "Category renamed",
        ["category.move"] = "Category moved",
        ["category.retire"] = "Category retired",
        ["category.restore"] = "Category offered again",
        ["category.delete"] = "Category deleted",
        ["campaign.update"] = "CPC campaign changed",
        ["campaign.pause"] = "CPC campaign paused",
        ["campaign.resume"] = "CPC campaign resumed",
        ["commission.void"] = "Commission voided",
        ["cpc.void"] = "Paid CPC clicks voided",
        ["item.import"] = "Items imported from CSV",
        ["item.rate"] = "Item commission rate changed",
        ["item.delist"] = "Item delisted by the platform",
        ["item.relist"] = "Item relisted by the platform",
        ["payout.approve"] = "Payout approved",
        ["payout.reject"] = "Payout rejected",
        ["payout.paid"] = "Payout marked paid",
        ["payout.export"] = "Approved payouts exported for payment",
        ["payout_method.add"] = "Payout method added",
        ["payout_method.change"] = "Payout method changed",
        ["postback.save"] = "Postback saved",
        ["postback.secret_rotate"] = "Postback secret rotated",
        ["subsidy.create"] = "Subsidy programme created",
        ["subsidy.edit"] = "Subsidy programme changed",
        ["subsidy.end"] = "Subsidy programme ended",
        ["webhook.save"] = "Webhook saved",
        ["webhook.secret_rotate"] = "Webhook secret rotated",
        ["plan.create"] = "Targeted plan created",
        ["plan.approve"] = "Targeted plan application approved",
        ["plan.reject"] = "Targeted plan application rejected",
        ["plan.end"] = "Targeted plan ended",
        ["settings.update"] = "Platform settings changed",
        ["settings.reset"] = "Platform setting reset",
        ["shop.create"] = "Shop created",
        ["shop.rate"] = "Shop general rate changed",
        ["shop.api_secret.create"] = "Orders API secret created",
        ["shop.api_secret.rotate"] = "Orders API secret rotated",
        ["site.register"] = "Site registered",
        ["site.verify"] = "Site ownership verified",
        ["site.approve"] = "Site approved",
        ["site.reject"] = "Site rejected",
        ["site.suspend"] = "Site suspended",
        ["wallet.deposit"] = "Wallet deposit",
        ["zone.smart"] = "Zone made a smart zone",
        ["zone.standard"] = "Zone made a standard zone",
    };

    private static readonly Dictionary<string, string> Entities = new(StringComparer.Ordinal)
    {
        ["ad_zone"] = "Ad zone",
        ["campaign"] = "CPC campaign",
        ["admin_invite"] = "Admin invite",
        ["category"] = "Category",
        ["commission"] = "Commission",
        ["cpc_void"] = "Paid click void",
        ["payout_batch"] = "Payout export",
        ["subsidy_programme"] = "Subsidy programme",
        ["item"] = "Item",
        ["payout_request"] = "Payout request",
        ["platform_setting"] = "Platform setting",
        ["shop"] = "Shop",
        ["site"] = "Site",
        ["targeted_plan"] = "Targeted plan",
        ["user"] = "Account",
        ["wallet_deposit"] = "Wallet deposit",
        ["webmaster"] = "Webmaster",
    };

    // Detail names (camelCase, as AuditTrail writes them) and how they read.
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amountFen"] = "Amount",
        ["bidFen"] = "Bid",
        ["before"] = "Before",
        ["after"] = "After",
        ["categories"] = "Categories",
        ["categoryId"] = "Category",
        ["changes"] = "Changes",
        ["claimedDailyVisitors"] = "Claimed daily visitors",
        ["commissionFen"] = "Commission",
        ["dailyBudgetFen"] = "Daily budget",
        ["email"] = "Email",
        ["endsAt"] = "Ends",
        ["from"] = "From",
        ["fromState"] = "From",
        ["gatewayReference"] = "Payment reference",
        ["isSmart"] = "Smart zone",
        ["itemId"] = "Item",
        ["items"] = "Promoted items",
        ["itemCount"] = "Items imported",
        ["key"] = "Setting",
        ["name"] = "Name",
        ["note"] = "Note",
        ["oldNameEn"] = "Old English name",
        ["oldNameZh"] = "Old Chinese name",
        ["position"] = "Position",
        ["direction"] = "Direction",
        ["nameEn"] = "English name",
        ["nameZh"] = "Chinese name",
        ["newRateBp"] = "New rate",
        ["oldRateBp"] = "Old rate",
        ["orderId"] = "Order",
        ["platformFeeFen"] = "Platform fee",
        ["ratedItems"] = "Items with their own rate",
        ["rateBp"] = "Rate",
        ["reason"] = "Reason",
        ["reference"] = "Payment reference",
        ["payoutIds"] = "Payouts",
        ["totalFen"] = "Total",
        ["events"] = "Events",
        ["secretCreated"] = "Secret created",
        ["kind"] = "Kind",
        ["maskedAccount"] = "Account",
        ["selection"] = "Selection",
        ["endedAt"] = "Ended",
        ["cancelled"] = "Cancelled",
        ["spentFen"] = "Spent",
        ["capFen"] = "Cap",
        ["bonusBp"] = "Bonus",
        ["replacedRateBp"] = "Rate it replaces",
        ["sellerId"] = "Seller",
        ["shopId"] = "Shop",
        ["siteId"] = "Site",
        ["slug"] = "Address name",
        ["startsAt"] = "Starts",
        ["subsidyFen"] = "Subsidy",
        ["to"] = "To",
        ["toState"] = "To",
        ["url"] = "URL",
        ["webmasterFen"] = "Webmaster's share",
        ["webmasterId"] = "Webmaster",
    };

    /// <summary>Every action code that has a phrase (a test holds the codes the application writes to it).</summary>
    public static IReadOnlyCollection<string> KnownActions => Actions.Keys;

    /// <summary>Every entity type that has a phrase.</summary>
    public static IReadOnlyCollection<string> KnownEntities => Entities.Keys;

    public static string Action(string code, IStringLocalizer localizer) =>
        Actions.TryGetValue(code, out var phrase) ? localizer[phrase] : code;

    public static string Entity(string code, IStringLocalizer localizer) =>
        Entities.TryGetValue(code, out var phrase) ? localizer[phrase] : code;

    /// <summary>The details as labelled values; nested objects read "Before · Name", lists join with commas.</summary>
    public static IReadOnlyList<Detail> Details(string? json, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var details = new List<Detail>();
        if (string.IsNullOrWhiteSpace(json)) return details;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object) AddObject(document.RootElement, "", details, localizer);
            else details.Add(new(localizer["Details"], document.RootElement.ToString()));
        }
        catch (JsonException)
        {
            details.Add(new(localizer["Details"], json));
        }
        return details;
    }

    private static void AddObject(JsonElement element, string prefix, List<Detail> details, IStringLocalizer localizer)
    {
        foreach (var property in element.EnumerateObject())
        {
            var label = prefix + Label(property.Name, localizer);
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    AddObject(property.Value, label + " · ", details, localizer);
                    break;
                case JsonValueKind.Array when property.Value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Object):
                    // A list of changes ({ key, from, to }): one line each, named by its key.
                    foreach (var entry in property.Value.EnumerateArray())
                    {
                        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("key", out var key))
                        {
                            var from = entry.TryGetProperty("from", out var f) ? Value("from", f, localizer) : "";
                            var to = entry.TryGetProperty("to", out var t) ? Value("to", t, localizer) : "";
                            details.Add(new(label + " · " + key.ToString(), $"{from} → {to}"));
                        }
                        else
                        {
                            details.Add(new(label, entry.ToString()));
                        }
                    }
                    break;
                default:
                    details.Add(new(label, Value(property.Name, property.Value, localizer)));
                    break;
            }
        }
    }

    private static string Label(string name, IStringLocalizer localizer) =>
        Fields.TryGetValue(name, out var phrase) ? localizer[phrase] : name;

    private static string Value(string name, JsonElement value, IStringLocalizer localizer)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                // An item rate set back to nothing: the item earns the shop's general rate again.
                return name.EndsWith("RateBp", StringComparison.OrdinalIgnoreCase) ? localizer["the shop's general rate"] : "—";
            case JsonValueKind.True: return localizer["Yes"];
            case JsonValueKind.False: return localizer["No"];
            case JsonValueKind.Array: return string.Join(", ", value.EnumerateArray().Select(v => v.ToString()));
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                if (name.EndsWith("Fen", StringComparison.OrdinalIgnoreCase)) return new Money(number).ToString();
                if (name.EndsWith("Bp", StringComparison.OrdinalIgnoreCase)) return new Rate((int)number).ToString();
                return number.ToString("#,0", CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                var text = value.GetString() ?? "";
                if (text.Length >= 20 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                    && text.Contains('T', StringComparison.Ordinal))
                {
                    return ChinaTime.Format(at);
                }
                return StateLabel(text, localizer);
            default:
                return value.ToString();
        }
    }

    // States the application writes by their enum names (site review, campaign pause, commission void).
    private static string StateLabel(string text, IStringLocalizer localizer) => text switch
    {
        "PendingVerification" => localizer["Pending verification"],
        "PendingReview" => localizer["Pending review"],
        "Approved" => localizer["Approved"],
        "Rejected" => localizer["Rejected"],
        "Suspended" => localizer["Suspended"],
        "Active" => localizer["Active"],
        "Paused" => localizer["Paused"],
        "Pending" => localizer["Pending"],
        "Settled" => localizer["Settled"],
        "Reversed" => localizer["Reversed"],
        "ClawedBack" => localizer["Clawed back"],
        _ => text,
    };
}
