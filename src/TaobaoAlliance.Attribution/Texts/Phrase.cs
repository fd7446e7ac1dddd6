using System.Globalization;
using System.Text.Json;

namespace TaobaoAlliance.Attribution.Texts;

/// <summary>
/// A sentence the platform writes about an order or its money (why a click won, how a commission was worked out),
/// kept as a code and its arguments so that each reader gets it in their own language at read time (issue 15).
/// Arguments are already formatted values (¥12.34, 4.75 %, an id); an argument written <c>t:code</c> is another
/// phrase of <see cref="PhraseBook"/> (translated with the sentence), one written <c>reason:code</c> an invalid-click
/// reason (<see cref="Clicks.InvalidClickReasons"/>).
/// </summary>
public sealed record Phrase
{
    public const string PhraseArg = "t:";
    public const string ReasonArg = "reason:";

    public Phrase(string code, params string[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Args = args ?? [];
    }

    public string Code { get; }
    public IReadOnlyList<string> Args { get; }

    /// <summary>An argument that is a phrase of the book, translated with the sentence.</summary>
    public static string Nested(string code) => PhraseArg + code;

    /// <summary>An argument that is an invalid-click reason code.</summary>
    public static string Reason(string? reason) => ReasonArg + reason;

    /// <summary>The sentence in English: the book's template filled in (the form stored beside the codes for the API and webhooks).</summary>
    public string English() => string.Format(CultureInfo.InvariantCulture, PhraseBook.Template(Code), Args.Select(EnglishArg).ToArray<object>());

    private static string EnglishArg(string arg) =>
        arg.StartsWith(PhraseArg, StringComparison.Ordinal) ? PhraseBook.Template(arg[PhraseArg.Length..])
        : arg.StartsWith(ReasonArg, StringComparison.Ordinal) ? arg[ReasonArg.Length..]
        : arg;

    public bool Equals(Phrase? other) => other is not null && Code == other.Code && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => Args.Aggregate(Code.GetHashCode(StringComparison.Ordinal), (h, a) => HashCode.Combine(h, a));
}

/// <summary>Lists of phrases: in English, and as the JSON kept in the database (<c>[{"c":"code","a":["arg"]}]</c>).</summary>
public static class Phrases
{
    private sealed record Stored(string C, string[]? A);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The sentences in English, one after another.</summary>
    public static string English(this IEnumerable<Phrase> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        return string.Join(" ", phrases.Select(p => p.English()));
    }

    public static string ToJson(IEnumerable<Phrase> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        return JsonSerializer.Serialize(phrases.Select(p => new Stored(p.Code, [.. p.Args])), Json);
    }

    /// <summary>The phrases kept in <paramref name="json"/>, or null when there are none (a row written before phrases were kept) or it does not read.</summary>
    public static IReadOnlyList<Phrase>? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var stored = JsonSerializer.Deserialize<List<Stored>>(json, Json);
            return stored is null || stored.Any(s => string.IsNullOrEmpty(s.C)) ? null : stored.Select(s => new Phrase(s.C, s.A ?? [])).ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Every phrase code and its English template. The template is also the key of the phrase's translation in the web
/// project's shared resource, so a new phrase needs its Chinese there (a test reads every template in Chinese).
/// A code is never renamed or given another meaning: rows keep it for good.
/// </summary>
public static class PhraseBook
{
    public const string StoreClickOtherShop = "attribution.store_click_other_shop";
    public const string StoreClickWon = "attribution.store_click_won";
    public const string StoreClickOutsideWindow = "attribution.store_click_outside_window";
    public const string StoreClickInvalid = "attribution.store_click_invalid";
    public const string NoClicks = "attribution.no_clicks";
    public const string AllInvalid = "attribution.all_invalid";
    public const string LastValidWon = "attribution.last_valid_won";
    public const string LastValidWonSkipped = "attribution.last_valid_won_skipped";
    public const string SelfPurchase = "earning.self_purchase";
    public const string OtherShop = "earning.other_shop";
    public const string PaidAdClick = "earning.paid_ad_click";
    public const string CommissionLine = "commission.line";
    public const string WhyClickedItem = "commission.why_clicked_item";
    public const string WhyShopGeneral = "commission.why_shop_general";
    public const string Subsidy = "subsidy.granted";
    public const string SubsidyCapped = "subsidy.granted_capped";

    private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal)
    {
        [StoreClickOtherShop] = "The store's click {0} is for shop {1}, not this shop: kept as a hint only.",
        [StoreClickWon] = "Click {0} won: the store sent its id back, which beats the visitor cookie.",
        [StoreClickOutsideWindow] = "The store's click {0} is outside the {1}-day window.",
        [StoreClickInvalid] = "The store's click {0} is invalid ({1}).",
        [NoClicks] = "No click by this visitor in the {0} days before payment.",
        [AllInvalid] = "All {0} clicks by this visitor in the window are invalid.",
        [LastValidWon] = "Click {0} won: the visitor's last valid click, {1} h before payment.",
        [LastValidWonSkipped] = "Click {0} won: the visitor's last valid click, {1} h before payment ({2} later invalid click(s) ignored).",
        [SelfPurchase] = "Self-purchase: the buyer is the webmaster who clicked, so nothing is earned.",
        [OtherShop] = "The click was for shop {0}, not this shop: items of other shops earn nothing.",
        [PaidAdClick] = "The winning click was a paid ad click (campaign {0}): the seller already paid for it, so no sale commission.",
        [CommissionLine] = "{0} × {1} = {2} ({3}); platform fee {4} = {5}; webmaster {6}.",
        [WhyClickedItem] = "the clicked item, at its rate at click time",
        [WhyShopGeneral] = "another item of the clicked shop, at the shop's general rate at click time",
        [Subsidy] = "Subsidy \"{0}\" +{1} of the webmaster share = {2}.",
        [SubsidyCapped] = "Subsidy \"{0}\" +{1} of the webmaster share = {2} (limited by the programme's cap).",
    };

    /// <summary>Every code with its English template.</summary>
    public static IReadOnlyDictionary<string, string> All => Templates;

    /// <summary>The English template of <paramref name="code"/>; a code this version does not know reads as itself.</summary>
    public static string Template(string code) => Templates.TryGetValue(code, out var template) ? template : code;

    public static bool Knows(string code) => Templates.ContainsKey(code);

    /// <summary>A number of hours as the notes write it: one decimal at most ("1", "36", "1.5").</summary>
    public static string Hours(double hours) => hours.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
