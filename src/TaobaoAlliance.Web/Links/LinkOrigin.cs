namespace TaobaoAlliance.Web.Links;

public static class LinkOrigin
{
    /// <summary>Scheme and host the webmaster reached the portal or the API on: the links made for them use the same, as their shoppers will.</summary>
    public static Uri Origin(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Uri($"{request.Scheme}://{request.Host}/");
    }
}
