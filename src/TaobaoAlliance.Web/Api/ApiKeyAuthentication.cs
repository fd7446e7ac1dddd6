using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// Authenticates a webmaster's tools by <c>X-Api-Key</c>. Only the key's SHA-256 is stored, so the
/// lookup hashes what was sent and finds the webmaster by the hash.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AllianceDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string WebmasterIdClaim = "webmaster_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = ApiKeys.Hash(values.ToString().Trim());
        var webmaster = await db.Webmasters.AsNoTracking()
            .Where(w => w.ApiKeyHash == hash && w.User.DisabledAt == null)
            .Select(w => new { w.Id, w.UserId }).SingleOrDefaultAsync(Context.RequestAborted);
        if (webmaster is null) return AuthenticateResult.Fail("Unknown API key");
        var identity = new ClaimsIdentity(
            [new Claim(WebmasterIdClaim, webmaster.Id.ToString()), new Claim(ClaimTypes.NameIdentifier, webmaster.UserId.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        await Results.Problem(statusCode: 401, title: "API key required",
            detail: $"Send your webmaster API key in the {Header} header.").ExecuteAsync(Context);
    }
}

public static class ApiKeyClaims
{
    public static long WebmasterId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.WebmasterIdClaim)!, System.Globalization.CultureInfo.InvariantCulture);
}
