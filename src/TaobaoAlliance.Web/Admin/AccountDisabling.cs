using Microsoft.AspNetCore.Identity;

namespace TaobaoAlliance.Web.Admin;

/// <summary>
/// Ends the sessions of an account an admin disabled. Disabling changes the user's security stamp;
/// Identity's cookie validator compares the stamp in the cookie with the database and signs the
/// browser out when they differ. By default it only looks every 30 minutes: here it looks on every
/// request (one primary-key read of the user), so a disabled account loses access at its next click.
/// </summary>
public static class AccountDisabling
{
    /// <summary>Hosting: <c>services.AddAccountDisabling();</c> (after <c>AddIdentity</c>).</summary>
    public static IServiceCollection AddAccountDisabling(this IServiceCollection services) =>
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
}
