using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>
/// Where the public reaches this app. Every absolute link that leaves the request (an email's reset link)
/// is built on this origin, never on the request's Host header, which any client can set.
/// </summary>
public sealed class PublicSiteOptions : IValidatableObject
{
    public const string Section = "PublicSite";

    /// <summary>Scheme, host and port only, e.g. <c>https://alliance.example.com</c>.</summary>
    [Required] public Uri? Origin { get; set; }

    /// <summary>Served over HTTPS: the auth cookie is then always marked Secure.</summary>
    public bool IsHttps => Origin?.Scheme == Uri.UriSchemeHttps;

    /// <summary>An absolute URL on the public origin for a path and query made by the app (e.g. from <c>Url.Page</c>).</summary>
    public string Absolute(string pathAndQuery) => new Uri(Origin!, pathAndQuery).AbsoluteUri;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Origin is null) yield break;
        if (!Origin.IsAbsoluteUri || Origin.Scheme is not ("http" or "https") || string.IsNullOrEmpty(Origin.Host))
        {
            yield return new ValidationResult($"{Section}:Origin must be an absolute http or https URL, such as https://alliance.example.com.", [nameof(Origin)]);
        }
        else if (Origin.AbsolutePath != "/" || Origin.Query.Length > 0 || Origin.Fragment.Length > 0 || Origin.UserInfo.Length > 0)
        {
            yield return new ValidationResult($"{Section}:Origin is scheme, host and port only (no path, query or user).", [nameof(Origin)]);
        }
    }
}
