"""The worker command that `score` gives quotecheck for a Python function:
it connects to the Unix socket named by its argument, where the calling
process serves the function, and copies standard input to the socket and
the socket to standard output until either side closes."""
import socket
import sys
import threading


def main() -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(sys.argv[1])

    def upstream() -> None:
        try:
            for line in sys.stdin.buffer:
                sock.sendall(line)
        except OSError:
            pass
        finally:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    threading.Thread(target=upstream, daemon=True).start()
    out = sys.stdout.buffer
    with sock.makefile("rb") as answers:
        for line in answers:
            out.write(line)
            out.flush()


if __name__ == "__main__":
    main()
