using Microsoft.AspNetCore.Identity;

namespace TaobaoAlliance.Data.Identity;

/// <summary>A person who signs in: webmaster, seller, admin or buyer (the role says which).</summary>
public sealed class AllianceUser : IdentityUser<long>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when an admin disables the account; sign-in is refused from then on.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Set when the user deleted the account: the row stays (money records point at it), emptied of personal data.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>The UI culture the user last chose ("en", "zh-Hans"): emails and notices are written in it. Null: English.</summary>
    public string? Language { get; set; }
}

/// <summary>The four roles of the platform. Admin is only ever seeded, never self-registered.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Webmaster = "Webmaster";
    public const string Seller = "Seller";
    public const string Buyer = "Buyer";

    public static readonly IReadOnlyList<string> All = [Admin, Webmaster, Seller, Buyer];
}
