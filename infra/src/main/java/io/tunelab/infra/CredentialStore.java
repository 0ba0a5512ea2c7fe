package io.tunelab.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the S3 credentials of a tunelab home: from the environment, from the home's credentials
 * file, or freshly generated and stored there on first use.
 *
 * <p>The credentials file is {@value #FILE_NAME} in the tunelab home. It is a properties file with
 * the keys {@value #ACCESS_KEY_PROPERTY} and {@value #SECRET_KEY_PROPERTY}, created with owner-only
 * permissions ({@code rw-------}) and never rewritten once it exists. Creation is atomic: the file
 * is written in full under a temporary name and then linked into place, so a reader never sees a
 * half-written file and two processes starting at once agree on one pair of keys.
 */
public final class CredentialStore {
  /** Name of the credentials file inside the tunelab home. */
  public static final String FILE_NAME = "credentials.properties";

  /** Property holding the access key in the credentials file. */
  public static final String ACCESS_KEY_PROPERTY = "s3.accessKey";

  /** Property holding the secret key in the credentials file. */
  public static final String SECRET_KEY_PROPERTY = "s3.secretKey";

  /** Environment variable that, together with {@link #ENV_SECRET_KEY}, overrides the file. */
  public static final String ENV_ACCESS_KEY = "TUNELAB_S3_ACCESS_KEY";

  /** Environment variable that, together with {@link #ENV_ACCESS_KEY}, overrides the file. */
  public static final String ENV_SECRET_KEY = "TUNELAB_S3_SECRET_KEY";

  static final int ACCESS_KEY_LENGTH = 20;
  static final int SECRET_KEY_LENGTH = 40;

  private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private CredentialStore() {}

  /**
   * Reads the credentials stored in the tunelab home, generating and storing them on first use.
   *
   * @param tunelabHome the tunelab home directory; created (owner-only) if missing
   * @return the stored credentials
   * @throws EmbeddedStartException if the home or the credentials file cannot be read or written,
   *     or the file lacks a key
   */
  public static S3Credentials loadOrCreate(Path tunelabHome) {
    return resolve(tunelabHome, null, null);
  }

  /**
   * Resolves credentials from the variables {@value #ENV_ACCESS_KEY} and {@value #ENV_SECRET_KEY}
   * of the given environment, falling back to the home's stored or generated credentials.
   *
   * @param tunelabHome the tunelab home directory
   * @param environment the environment, usually {@code System.getenv()}
   * @return the credentials to use
   * @throws IllegalArgumentException if only one of the two variables is set
   * @throws EmbeddedStartException if the credentials file cannot be read or written
   */
  public static S3Credentials resolve(Path tunelabHome, Map<String, String> environment) {
    return resolve(tunelabHome, environment.get(ENV_ACCESS_KEY), environment.get(ENV_SECRET_KEY));
  }

  /**
   * Resolves the credentials to use: the given keys if both are set, otherwise the keys stored in
   * the home's credentials file, which is created with random keys if it does not exist.
   *
   * <p>Keys given here are not written to the credentials file.
   *
   * @param tunelabHome the tunelab home directory; created (owner-only) if it is needed and missing
   * @param envAccessKey an access key from the environment, or {@code null} or blank for none
   * @param envSecretKey a secret key from the environment, or {@code null} or blank for none
   * @return the credentials to use
   * @throws IllegalArgumentException if exactly one of the two keys is given
   * @throws EmbeddedStartException if the credentials file cannot be read or written, or lacks a
   *     key
   */
  public static S3Credentials resolve(Path tunelabHome, String envAccessKey, String envSecretKey) {
    boolean hasAccess = envAccessKey != null && !envAccessKey.isBlank();
    boolean hasSecret = envSecretKey != null && !envSecretKey.isBlank();
    if (hasAccess && hasSecret) {
      return new S3Credentials(envAccessKey.strip(), envSecretKey.strip());
    }
    if (hasAccess || hasSecret) {
      throw new IllegalArgumentException(
          "set both "
              + ENV_ACCESS_KEY
              + " and "
              + ENV_SECRET_KEY
              + " or neither; only "
              + (hasAccess ? ENV_ACCESS_KEY : ENV_SECRET_KEY)
              + " is set");
    }
    Path home = tunelabHome.toAbsolutePath().normalize();
    Path file = home.resolve(FILE_NAME);
    try {
      OwnerOnly.createDirectories(home);
    } catch (IOException e) {
      throw new EmbeddedStartException("cannot create the tunelab home " + home + ": " + e, e);
    }
    if (Files.exists(file)) {
      return read(file);
    }
    return create(file);
  }

  /**
   * Generates random alphanumeric credentials: a 20-character access key and a 40-character secret
   * key drawn from a {@link SecureRandom}.
   *
   * @return new random credentials
   */
  public static S3Credentials generate() {
    return new S3Credentials(random(ACCESS_KEY_LENGTH), random(SECRET_KEY_LENGTH));
  }

  private static String random(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
    }
    return new String(chars);
  }

  private static S3Credentials read(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new EmbeddedStartException("cannot read the credentials file " + file + ": " + e, e);
    }
    warnIfReadableByOthers(file);
    String access = properties.getProperty(ACCESS_KEY_PROPERTY);
    String secret = properties.getProperty(SECRET_KEY_PROPERTY);
    if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
      throw new EmbeddedStartException(
          "the credentials file "
              + file
              + " must set both "
              + ACCESS_KEY_PROPERTY
              + " and "
              + SECRET_KEY_PROPERTY
              + "; fix or delete it (deleting it generates new keys)",
          null);
    }
    return new S3Credentials(access.strip(), secret.strip());
  }

  private static S3Credentials create(Path file) {
    S3Credentials credentials = generate();
    Path dir = file.getParent();
    Path temp = null;
    try {
      temp =
          Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp", OwnerOnly.fileAttributes(dir));
      Properties properties = new Properties();
      properties.setProperty(ACCESS_KEY_PROPERTY, credentials.accessKey());
      properties.setProperty(SECRET_KEY_PROPERTY, credentials.secretKey());
      try (OutputStream out = Files.newOutputStream(temp)) {
        properties.store(out, "tunelab S3 credentials for the embedded object store");
        out.flush();
      }
      if (publish(temp, file)) {
        log.info("generated S3 credentials in {}", file);
        return credentials;
      }
      // Another process created the file first: use its keys so that both agree.
      return read(file);
    } catch (IOException e) {
      throw new EmbeddedStartException("cannot write the credentials file " + file + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log.warn("could not delete the temporary file {}: {}", temp, e.toString());
        }
      }
    }
  }

  /**
   * Puts the complete temporary file in place without ever replacing an existing file.
   *
   * @return {@code true} if {@code temp} is now {@code file}, {@code false} if {@code file} already
   *     existed
   */
  private static boolean publish(Path temp, Path file) throws IOException {
    try {
      // A hard link is atomic and, unlike rename, fails if the target exists.
      Files.createLink(file, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      // No hard links on this file system: an atomic rename, which may replace a racing writer's
      // file.
      if (Files.exists(file)) {
        return false;
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException notAtomic) {
        Files.move(temp, file);
      }
      return true;
    }
  }

  private static void warnIfReadableByOthers(Path file) {
    if (!OwnerOnly.posix(file)) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OwnerOnly.FILE.containsAll(permissions)) {
        log.warn(
            "the credentials file {} can be accessed by other users; run: chmod 600 {}",
            file,
            file);
      }
    } catch (IOException e) {
      log.debug("could not read the permissions of {}", file, e);
    }
  }
}
