using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;

namespace TaobaoAlliance.Web.Localization;

/// <summary>Marker type for the one shared resource file of UI text (Resources/Localization/SharedResource.*.resx).</summary>
public sealed class SharedResource;

/// <summary>English and Simplified Chinese, chosen by cookie, then by the browser's Accept-Language.</summary>
public static class LocalizationExtensions
{
    public static readonly CultureInfo[] Supported = [new("en"), new("zh-Hans")];

    public static bool IsChinese(this CultureInfo culture) => culture.TwoLetterISOLanguageName == "zh";

    public static void AddAllianceLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = Supported;
            options.SupportedUICultures = Supported;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            // zh-CN, zh-SG and plain zh browsers all get Simplified Chinese.
            options.RequestCultureProviders.Insert(0, new CookieRequestCultureProvider());
        });
        services.AddRazorPages().AddViewLocalization();
        // Write Chinese as characters, not as &#x...; escapes (HTML-sensitive characters stay encoded).
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
    }

    public static void UseAllianceLocalization(this WebApplication app) => app.UseRequestLocalization();

    /// <summary>
    /// <c>POST /culture</c> from the switcher in the layout: remembers the choice for a year and goes
    /// back to the page, which must be a local URL (no open redirect).
    /// </summary>
    public static void MapCultureSwitch(this WebApplication app) =>
        app.MapPost("/culture", (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            if (!Supported.Any(c => c.Name == culture))
            {
                return Results.Problem(statusCode: 400, title: "Unsupported culture", detail: $"Choose one of: {string.Join(", ", Supported.Select(c => c.Name))}.");
            }
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        });

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
