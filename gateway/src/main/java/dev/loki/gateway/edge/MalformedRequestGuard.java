package dev.loki.gateway.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Requests that never reach Spring — a request line or headers too long for the HTTP decoder, or a
 * URL Java cannot parse ({@code ?m=%%%}) — were answered by Reactor Netty or Spring's adapter with a
 * bare 400/414/431 and no body. This handler sits right after the HTTP decoder, answers them with
 * problem+json like every other gateway answer, and closes the connection (the rest of such a
 * request cannot be trusted).
 */
@Component
class MalformedRequestGuard implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "loki.malformedRequestGuard", new Handler());
            }
        }));
    }

    /** One per connection: Netty handlers that keep state are never shared. */
    static final class Handler extends ChannelInboundHandlerAdapter {

        /** How long the rest of a refused request's body is waited for before the connection closes anyway. */
        private static final Duration BODY_WAIT = Duration.ofSeconds(5);

        private boolean rejected;
        /** A refused request whose rest the decoder swallows: every read is asked for until the client closes. */
        private boolean draining;

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (draining) {
                ctx.read();
                return;
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (rejected) {
                boolean last = msg instanceof LastHttpContent;
                ReferenceCountUtil.release(msg);
                if (last) {
                    ctx.close(); // the refused request's body has been read to its end
                } else {
                    ctx.read(); // Reactor Netty reads on demand, and nobody else asks for this body
                }
                return;
            }
            if (msg instanceof HttpRequest request) {
                HttpResponseStatus status = problemOf(request);
                if (status != null) {
                    rejected = true;
                    String path = safePath(request.uri());
                    // a body still on its way is read (and dropped) before the close: closing with unread bytes
                    // makes the kernel reset the connection, which can destroy the answer before the client reads it
                    boolean bodyFollows = !request.decoderResult().isFailure() && !(msg instanceof LastHttpContent)
                            && (HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request));
                    boolean restUnread = request.decoderResult().isFailure();
                    ReferenceCountUtil.release(msg);
                    if (bodyFollows) {
                        ctx.writeAndFlush(problem(status, path));
                        ctx.read();
                        ctx.executor().schedule(() -> ctx.close(), BODY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } else if (restUnread) {
                        // the decoder gave up part-way (a 10 KB request line): the rest of the request is still arriving and
                        // the decoder discards it. Answer, end our side (FIN), and go on reading until the client closes, so
                        // no unread bytes make the close a reset that destroys the answer
                        draining = true;
                        ctx.writeAndFlush(problem(status, path)).addListener(f -> {
                            if (ctx.channel() instanceof DuplexChannel duplex) {
                                duplex.shutdownOutput();
                            }
                        });
                        ctx.read();
                        ctx.executor().schedule(() -> ctx.close(), BODY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        ctx.writeAndFlush(problem(status, path)).addListener(ChannelFutureListener.CLOSE);
                    }
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }

        private static HttpResponseStatus problemOf(HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                if (cause instanceof TooLongHttpLineException) {
                    return HttpResponseStatus.REQUEST_URI_TOO_LONG;
                }
                if (cause instanceof TooLongHttpHeaderException) {
                    return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                }
                return cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            }
            try {
                new URI(request.uri());
                return null;
            } catch (URISyntaxException e) {
                return HttpResponseStatus.BAD_REQUEST;
            }
        }

        /** The path part of the URI as far as it is plain text, for {@code instance}; never the raw bytes of a hostile URL. */
        private static String safePath(String uri) {
            if (uri == null) {
                return "/";
            }
            int end = 0;
            while (end < uri.length() && end < 200) {
                char c = uri.charAt(end);
                if (c == '?' || c == '%' || c < 0x21 || c > 0x7e) {
                    break;
                }
                end++;
            }
            return end == 0 ? "/" : uri.substring(0, end);
        }

        private static FullHttpResponse problem(HttpResponseStatus status, String path) {
            String detail = switch (status.code()) {
                case 414 -> "The URL is longer than the gateway accepts.";
                case 431 -> "The request headers are larger than the gateway accepts.";
                case 413 -> "The request is larger than the gateway accepts.";
                default -> "The request line or URL is malformed (for example a '%' not followed by two hex digits).";
            };
            String slug = switch (status.code()) {
                case 414 -> "uri-too-long";
                case 431 -> "headers-too-large";
                case 413 -> "payload-too-large";
                default -> "malformed-request";
            };
            String body = "{\"type\":\"" + Problems.TYPE_BASE + slug + "\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":"
                    + status.code() + ",\"detail\":\"" + detail + "\",\"instance\":\"" + path.replace("\\", "").replace("\"", "") + "\"}";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return response;
        }
    }
}
