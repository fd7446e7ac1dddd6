using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace TaobaoAlliance.Web.Seeding;

/// <summary>The demo data files of <c>seeds/</c>, read as they are written.</summary>
public sealed record SeedFiles(
    IReadOnlyList<SeedFiles.CategoryRow> Categories,
    IReadOnlyList<SeedFiles.ShopRow> Shops,
    IReadOnlyList<SeedFiles.ItemRow> Items,
    SeedFiles.AccountsFile Accounts)
{
    public sealed record CategoryRow(int Id, string Slug, string NameZh, string NameEn);
    /// <summary>A demo shop; <c>store_host</c> registers an external store (empty for the built-in storefront only).</summary>
    public sealed record ShopRow(long Id, string Slug, string Owner, string NameZh, string NameEn, decimal GeneralRatePercent, string? StoreHost);
    /// <summary>A demo item; <c>external_url</c> is its page on its shop's store host (empty: the built-in storefront).</summary>
    public sealed record ItemRow(long Id, long ShopId, int CategoryId, string TitleZh, string TitleEn, long PriceFen,
        decimal CommissionRatePercent, int MonthlySales, string Image, string? ExternalUrl);

    public sealed record AccountsFile(IReadOnlyList<UserSeed> Users, IReadOnlyList<SiteSeed> Sites, IReadOnlyDictionary<string, string> ShopSecrets,
        IReadOnlyDictionary<string, long> WalletDepositsFen, IReadOnlyList<CampaignSeed>? Campaigns,
        IReadOnlyList<SubsidySeed>? Subsidies = null);
    /// <summary>A demo account. <c>AuthenticatorKey</c>: a known TOTP key (base32) with two-factor sign-in on, so the demo admin can sign in.</summary>
    public sealed record UserSeed(string Key, string Email, string Password, string Role, string DisplayName, string? ApiKey, string? AuthenticatorKey = null);
    public sealed record SiteSeed(string Webmaster, string Name, string Url, int CategoryId, int ClaimedDailyVisitors,
        string Description, string VerificationToken, IReadOnlyList<ZoneSeed> Zones, IReadOnlyList<LinkSeed> Links);
    /// <summary>A platform subsidy programme running from the seeding for <see cref="Days"/> days.</summary>
    public sealed record SubsidySeed(string Name, decimal BonusPercent, int Days, int? CategoryId, long CapFen);
    public sealed record ZoneSeed(string Name, bool Smart);
    public sealed record LinkSeed(string Code, string Zone, long ItemId);
    public sealed record CampaignSeed(long ShopId, string Name, long BidFen, long DailyBudgetFen, IReadOnlyList<long> ItemIds, IReadOnlyList<int> CategoryIds);

    public static SeedFiles Load(string folder) => new(
        ReadCsv<CategoryRow>(Path.Combine(folder, "categories.csv")),
        ReadCsv<ShopRow>(Path.Combine(folder, "shops.csv")),
        ReadCsv<ItemRow>(Path.Combine(folder, "items.csv")),
        JsonSerializer.Deserialize<AccountsFile>(File.ReadAllText(Path.Combine(folder, "accounts.json")), JsonOptions)
            ?? throw new InvalidDataException("accounts.json is empty"));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static List<T> ReadCsv<T>(string path)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Headers are snake_case (title_zh); record parameters are PascalCase (TitleZh).
            PrepareHeaderForMatch = args => args.Header.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant(),
        };
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, config);
        return csv.GetRecords<T>().ToList();
    }
}
