using QRCoder;

namespace TaobaoAlliance.Web.Links;

/// <summary>The QR code of a link, as the webmaster downloads it.</summary>
public static class LinkQrCode
{
    /// <summary>A PNG QR code of a URL, large enough to print (the browser scales it down on screen).</summary>
    public static byte[] Png(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(10);
    }
}
